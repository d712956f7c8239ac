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
                new GatewayApiStatus(GatewayApiStatusWriter.NONE, List.of()));
    }
}
