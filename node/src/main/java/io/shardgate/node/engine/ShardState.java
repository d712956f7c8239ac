package io.shardgate.node.engine;

import io.shardgate.node.store.ShardStore;
import io.shardgate.translator.Translator;
import io.shardgate.translator.input.GatewayLayout;
import io.shardgate.translator.shard.ShardAssembly;
import io.shardgate.translator.shard.ShardChanges;

/**
 * One shard this node owns: its assembly (which resources it serves, decided by translator code) and the
 * store those resources are served from. {@link #flush} applies the assembly's net changes to the store in
 * one batch. Engine thread only.
 */
final class ShardState {
    private final ShardStore store;
    private final ShardAssembly assembly;
    /** The first batch is the shard's whole content: the store may hold what it served when owned before. */
    private boolean first = true;
    /** When this node took the shard on (nanoTime): how long it took to serve is logged once it is ready. */
    private final long gainedNanos = System.nanoTime();

    ShardState(ShardStore store, Translator translator, GatewayLayout layout) {
        this.store = store;
        this.assembly = new ShardAssembly(translator, layout);
    }

    ShardStore store() {
        return store;
    }

    ShardAssembly assembly() {
        return assembly;
    }

    /** Milliseconds since this node took the shard on. */
    long millisSinceGained() {
        return (System.nanoTime() - gainedNanos) / 1_000_000;
    }

    /** Applies everything the assembly changed since the last flush to the store, as one batch. */
    void flush() {
        ShardChanges changes = assembly.takeChanges();
        if (changes.isEmpty() && !first) return;
        ShardStore.Batch batch = first ? ShardStore.Batch.wholeContent() : new ShardStore.Batch();
        changes.puts().forEach(batch::put);
        changes.removals().forEach(key -> batch.remove(key.type(), key.name()));
        store.apply(batch);
        first = false;
    }
}
