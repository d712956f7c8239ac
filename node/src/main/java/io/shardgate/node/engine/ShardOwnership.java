package io.shardgate.node.engine;

import io.shardgate.sharding.ShardId;
import io.shardgate.sharding.Watermark;
import java.util.Set;

/** Which shards this node translates and serves. With one node: all of them. */
public interface ShardOwnership {

    /**
     * This node translates, hashes and validates the shard: it owns it (and serves it), or the shard is moving to
     * it (and it serves it once the cluster hands it over, after {@link #declare} listed it).
     */
    boolean owns(ShardId shard);

    /** Some node owns the shard (false while the cluster has not placed it yet: the node cannot be ready). */
    default boolean isAssigned(ShardId shard) {
        return true;
    }

    /** The engine's current set of shards (every gateway's 0..S-1), so the owner table can cover them. */
    default void shardsDefined(Set<ShardId> shards) {}

    /**
     * After every drain: null until the sources have synced (the cluster gives a node that is still loading no
     * shard), else the shards translated completely here, with every source change up to {@code watermark}
     * applied (InputSink#watermark).
     */
    default void declare(Set<ShardId> ready, Watermark watermark) {}

    static ShardOwnership all() {
        return shard -> true;
    }
}
