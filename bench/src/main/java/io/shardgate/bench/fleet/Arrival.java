package io.shardgate.bench.fleet;

import io.shardgate.sharding.ShardId;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.xdsclient.ReceivedResource;
import io.shardgate.xdsclient.RemovedResource;

/**
 * A new resource version received by fleet client {@code client} at {@code nanos} ({@link System#nanoTime()}, one
 * clock for every process on the machine), or its removal ({@code size} -1).
 *
 * @param digest {@link BodyDigest} of the bytes received (0 for a removal)
 */
public record Arrival(int client, ShardId shard, ResourceType type, String name, int size, long digest, long nanos) {
    public static final int REMOVED = -1;

    /** A version received (its bytes digested here, on the receiving thread). */
    public static Arrival of(Fleet.Seat seat, ReceivedResource r) {
        return new Arrival(seat.index(), seat.shard(), Fleet.resourceType(r.type()), r.name(), r.body().size(), BodyDigest.of(r.body()),
                r.arrivalNanos());
    }

    public static Arrival removal(Fleet.Seat seat, RemovedResource r) {
        return new Arrival(seat.index(), seat.shard(), Fleet.resourceType(r.type()), r.name(), REMOVED, 0, r.nanos());
    }

    public boolean removed() {
        return size == REMOVED;
    }
}
