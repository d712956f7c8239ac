package io.shardgate.node.source;

/** A running input source (Kubernetes informers, or a watched directory of manifests). */
public interface Source extends AutoCloseable {

    /** Starts delivering to the sink: the initial state, then {@link InputSink#synced()}, then changes. */
    void start(InputSink sink);

    @Override
    void close();
}
