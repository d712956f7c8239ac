package io.shardgate.sharding;

import java.util.Comparator;

/**
 * Rendezvous (highest random weight) ranking of members for a shard. The weight of a (shard, member) pair
 * is a 64-bit mix of both ids' stable hashes, compared as unsigned; a higher weight ranks first.
 */
final class Rendezvous {
    private Rendezvous() {}

    static long weight(ShardId shard, String member) {
        return DomainSharding.mix64(shardKey(shard) ^ DomainSharding.stableHash(member));
    }

    /** Members ordered best first for {@code shard}; the smaller member id wins a (64-bit) tie. */
    static Comparator<String> bestFirstFor(ShardId shard) {
        Comparator<String> byWeight = Comparator.comparing(member -> weight(shard, member), Long::compareUnsigned);
        return byWeight.reversed().thenComparing(Comparator.naturalOrder());
    }

    /** Shards ordered by how weakly {@code member} ranks them, weakest first; the shard order breaks a tie. */
    static Comparator<ShardId> weakestFirstFor(String member) {
        return Comparator.<ShardId, Long>comparing(shard -> weight(shard, member), Long::compareUnsigned)
                .thenComparing(Comparator.naturalOrder());
    }

    private static long shardKey(ShardId shard) {
        return DomainSharding.mix64(DomainSharding.stableHash(shard.gateway()) + shard.shard());
    }
}
