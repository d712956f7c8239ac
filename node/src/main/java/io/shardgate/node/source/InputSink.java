package io.shardgate.node.source;

import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;

/**
 * Where a source delivers what it sees. Calls may come from any thread, in any volume; the receiver
 * queues and collapses them. Sources deliver projections only, never whole Kubernetes objects.
 */
public interface InputSink {

    /** An object was added or changed. Delivering an unchanged projection again is allowed and costs nothing. */
    void upsert(InputObject object);

    /** An object was deleted (a delete of an unknown object is ignored). */
    void delete(ObjectRef ref);

    /** The source has delivered its whole initial state (every informer synced, every file read). */
    void synced();

    /**
     * Every change of one input {@code stream} up to {@code position} has been delivered (upserts and deletes before
     * this call). A stream is what delivers in order: one informer (kind and namespace), one manifest directory.
     * Positions grow and mean the same on every node reading the same source (a modification time in epoch ms, an
     * API server's resourceVersion), so nodes can tell whether one has seen all another has: a shard moves to a
     * node only once it has, stream by stream ({@link io.shardgate.sharding.Watermark}, docs/sharding.md).
     */
    default void watermark(String stream, long position) {}
}
