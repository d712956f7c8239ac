package io.shardgate.node.engine;

import io.shardgate.sharding.ShardId;
import java.util.Set;

/** Which shards this node translates and serves. With one node: all of them. */
public interface ShardOwnership {

    /** This node owns the shard: it translates, hashes, validates and serves it. */
    boolean owns(ShardId shard);

    /** Some node owns the shard (false while the cluster has not placed it yet: the node cannot be ready). */
    default boolean isAssigned(ShardId shard) {
        return true;
    }

    /** The engine's current set of shards (every gateway's 0..S-1), so the owner table can cover them. */
    default void shardsDefined(Set<ShardId> shards) {}

    static ShardOwnership all() {
        return shard -> true;
    }
}
