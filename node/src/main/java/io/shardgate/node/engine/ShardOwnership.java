package io.shardgate.node.engine;

import io.shardgate.node.store.ShardKey;
import java.util.Set;

/** Which shards this node translates and serves. With one node: all of them. */
public interface ShardOwnership {

    /** This node owns the shard: it translates, hashes, validates and serves it. */
    boolean owns(ShardKey shard);

    /** Some node owns the shard (false while the cluster has not placed it yet: the node cannot be ready). */
    default boolean isAssigned(ShardKey shard) {
        return true;
    }

    /** The engine's current set of shards (every gateway's 0..S-1), so the owner table can cover them. */
    default void shardsDefined(Set<ShardKey> shards) {}

    static ShardOwnership all() {
        return shard -> true;
    }
}
