package io.shardgate.bench.target;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shardgate.node.engine.ShardOwnership;
import io.shardgate.node.engine.TranslationEngine;
import io.shardgate.node.report.GatewayApiStatus;
import io.shardgate.node.report.GatewayApiStatusWriter;
import io.shardgate.node.report.StatusWriter;
import io.shardgate.node.store.ShardDirectory;
import io.shardgate.translator.Translator;
import io.shardgate.translator.TranslatorConfig;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.status.GatewayClassStatus;
import io.shardgate.translator.status.GatewayStatus;
import io.shardgate.translator.status.HttpRouteStatus;
import java.time.Clock;
import java.util.List;

/**
 * Shardgate's engine owning every shard, with problems and Ingress status going nowhere. Gateway API status is
 * computed, as a node on the Kubernetes source does, and dropped instead of written (a node writes it off the
 * engine thread).
 */
final class TranslationStage {
    private TranslationStage() {}

    static TranslationEngine engine(ShardDirectory directory) {
        return new TranslationEngine(Translator.create(TranslatorConfig.defaults()), directory, ShardOwnership.all(), 1,
                (subject, problems) -> {}, StatusWriter.NONE, new SimpleMeterRegistry(), Clock.systemUTC(), null,
                new GatewayApiStatus(new DiscardingStatusWriter(), List.of()));
    }

    /** Takes the statuses the engine computed and drops them: a node hands them to its writer's lanes. */
    private static final class DiscardingStatusWriter implements GatewayApiStatusWriter {
        @Override
        public void route(HttpRouteStatus wanted) {}

        @Override
        public void gateway(GatewayStatus wanted, List<String> addresses) {}

        @Override
        public void gatewayClass(GatewayClassStatus wanted) {}

        @Override
        public void released(ObjectRef ref) {}
    }
}
