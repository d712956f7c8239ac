package io.shardgate.sharding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One shard of one gateway. Ordered by gateway name, then shard index; that order is the fixed order in
 * which {@link ShardAssignment} places shards, so it must never change. Its text form {@code gateway/shard}
 * is unambiguous because a gateway name (an IngressClass name) cannot contain a slash.
 */
public record ShardId(String gateway, int shard) implements Comparable<ShardId> {
    private static final Comparator<ShardId> ORDER =
            Comparator.comparing(ShardId::gateway).thenComparingInt(ShardId::shard);

    public ShardId {
        Objects.requireNonNull(gateway, "gateway");
        if (gateway.isEmpty() || gateway.indexOf('/') >= 0) {
            throw new IllegalArgumentException("gateway name must be non-empty and contain no '/': '" + gateway + "'");
        }
        if (shard < 0) throw new IllegalArgumentException("shard index must not be negative, was " + shard);
    }

    /** Every shard of a gateway with {@code shardCount} shards: indexes 0 to shardCount - 1. */
    public static List<ShardId> allOf(String gateway, int shardCount) {
        if (shardCount < 1) throw new IllegalArgumentException("shard count must be at least 1, was " + shardCount);
        List<ShardId> shards = new ArrayList<>(shardCount);
        for (int i = 0; i < shardCount; i++) shards.add(new ShardId(gateway, i));
        return shards;
    }

    /** The inverse of {@link #toString()}. */
    public static ShardId parse(String text) {
        int slash = text.lastIndexOf('/');
        if (slash < 0) throw new IllegalArgumentException("expected gateway/shard, was '" + text + "'");
        try {
            return new ShardId(text.substring(0, slash), Integer.parseInt(text.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected gateway/shard, was '" + text + "'", e);
        }
    }

    @Override
    public int compareTo(ShardId other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return gateway + "/" + shard;
    }
}
