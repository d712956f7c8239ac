package io.shardgate.bench.target;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shardgate.node.engine.ShardOwnership;
import io.shardgate.node.engine.TranslationEngine;
import io.shardgate.node.report.StatusWriter;
import io.shardgate.node.store.ShardDirectory;
import io.shardgate.translator.Translator;
import io.shardgate.translator.TranslatorConfig;
import io.shardgate.translator.input.ObjectRef;
import java.util.SortedSet;

/** Shardgate's engine owning every shard, with problems and Ingress status going nowhere. */
final class TranslationStage {
    private TranslationStage() {}

    static TranslationEngine engine(ShardDirectory directory) {
        StatusWriter noStatus = new StatusWriter() {
            @Override
            public void served(ObjectRef ingress, String gateway, SortedSet<Integer> shards) {}

            @Override
            public void notServed(ObjectRef ingress) {}
        };
        return new TranslationEngine(Translator.create(TranslatorConfig.defaults()), directory, ShardOwnership.all(), 1,
                (subject, problems) -> {}, noStatus, new SimpleMeterRegistry());
    }
}
