package io.shardgate.node.source;

/** A running input source (Kubernetes informers, or a watched directory of manifests). */
public interface Source extends AutoCloseable {

    /** Starts delivering to the sink: the initial state, then {@link InputSink#synced()}, then changes. */
    void start(InputSink sink);

    /**
     * Delivers whatever changed while this process could not look (it was paused): completes once the sink has
     * been given every change up to now. Only after {@link #start}.
     */
    java.util.concurrent.CompletableFuture<Void> catchUp();

    @Override
    void close();
}
