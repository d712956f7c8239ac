package io.shardgate.node.differential;

import io.shardgate.node.engine.ShardOwnership;
import io.shardgate.sharding.ShardId;

/**
 * The shards this node owns in an epoch: about three in four, chosen by a hash of the shard and the epoch, so
 * every epoch change moves some shards away and brings others (and the same epoch always means the same set).
 */
final class RandomOwnership implements ShardOwnership {
    private volatile long epoch;

    RandomOwnership(long epoch) {
        this.epoch = epoch;
    }

    void moveTo(long epoch) {
        this.epoch = epoch;
    }

    long epoch() {
        return epoch;
    }

    /** A fixed copy, for a from-scratch engine. */
    ShardOwnership snapshot() {
        long at = epoch;
        return shard -> owned(shard, at);
    }

    @Override
    public boolean owns(ShardId shard) {
        return owned(shard, epoch);
    }

    static boolean owned(ShardId shard, long epoch) {
        long h = shard.gateway().hashCode() * 0x9E3779B97F4A7C15L + shard.shard() * 0xC2B2AE3D27D4EB4FL + epoch * 0x165667B19E3779F9L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return Math.floorMod(h, 4) != 0;
    }
}
