package io.shardgate.node.engine;

import io.shardgate.node.store.ShardKey;

/** Which shards this node translates and serves. With one node: all of them. */
@FunctionalInterface
public interface ShardOwnership {
    boolean owns(ShardKey shard);

    static ShardOwnership all() {
        return shard -> true;
    }
}
