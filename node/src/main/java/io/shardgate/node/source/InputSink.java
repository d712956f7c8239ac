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
     * Every change of the source up to {@code position} has been delivered (upserts and deletes before this call).
     * Positions grow and mean the same on every node reading the same source (a file's modification time in epoch
     * ms, an API server's resourceVersion), so nodes can tell which of them has seen more: a shard moves to a node
     * only once it has seen as much as the owner (docs/sharding.md).
     */
    default void watermark(long position) {}
}
