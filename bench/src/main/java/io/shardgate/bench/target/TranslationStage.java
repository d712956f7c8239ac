package io.shardgate.bench.target;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shardgate.node.engine.ShardOwnership;
import io.shardgate.node.engine.TranslationEngine;
import io.shardgate.node.report.StatusWriter;
import io.shardgate.node.store.ShardDirectory;
import io.shardgate.translator.Translator;
import io.shardgate.translator.TranslatorConfig;

/** Shardgate's engine owning every shard, with problems and Ingress status going nowhere. */
final class TranslationStage {
    private TranslationStage() {}

    static TranslationEngine engine(ShardDirectory directory) {
        return new TranslationEngine(Translator.create(TranslatorConfig.defaults()), directory, ShardOwnership.all(), 1,
                (subject, problems) -> {}, StatusWriter.NONE, new SimpleMeterRegistry());
    }
}
