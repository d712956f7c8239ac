package io.shardgate.bench.fleet;

import io.shardgate.node.store.ShardStore;
import io.shardgate.bench.target.ServedBytes;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import io.shardgate.xdsclient.ReceivedResource;
import io.shardgate.xdsclient.XdsState;
import java.util.Arrays;

/**
 * What a client holds, or what its shard serves, in a few numbers: the count of each type, and an order-independent
 * sum over every resource's name and bytes. A client is served when its digest equals its shard's.
 */
public record HeldDigest(int[] counts, long sum) {

    /** What the shard's store serves, as the target sends it. */
    public static HeldDigest of(ShardStore store, ServedBytes served) {
        int[] counts = new int[ResourceType.values().length];
        long sum = 0;
        for (ResourceType type : ResourceType.values()) {
            counts[type.ordinal()] = store.size(type);
            for (XdsResource r : store.all(type)) sum += BodyDigest.entry(type.ordinal() + "/" + r.name(), BodyDigest.of(served.of(r)));
        }
        return new HeldDigest(counts, sum);
    }

    /** Whether the client's state matches: counts first (cheap), bytes only when they do. */
    boolean matches(XdsState state) {
        for (ResourceType type : ResourceType.values()) {
            if (state.resources(Fleet.xdsType(type)).size() != counts[type.ordinal()]) return false;
        }
        long held = 0;
        for (ResourceType type : ResourceType.values()) {
            for (ReceivedResource r : state.resources(Fleet.xdsType(type)).values()) {
                held += BodyDigest.entry(type.ordinal() + "/" + r.name(), BodyDigest.of(r.body()));
            }
        }
        return held == sum;
    }

    /** Counts of what the client holds, for a failure message. */
    static String describe(XdsState state) {
        StringBuilder out = new StringBuilder();
        for (ResourceType type : ResourceType.values()) out.append(type).append('=').append(state.resources(Fleet.xdsType(type)).size()).append(' ');
        return out.toString().trim();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeldDigest d && d.sum == sum && Arrays.equals(d.counts, counts);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sum);
    }

    @Override
    public String toString() {
        return "counts " + Arrays.toString(counts) + ", sum " + sum;
    }
}
