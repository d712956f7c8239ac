package io.shardgate.node.ads;

import io.shardgate.sharding.ShardId;
import io.shardgate.translator.resource.ResourceType;

/**
 * What the ADS server reports about itself; the node backs it with Micrometer. Every method defaults to a
 * no-op. Called on event-loop threads: implementations must be cheap and thread-safe.
 */
public interface AdsMetrics {
    AdsMetrics NONE = new AdsMetrics() {};

    /** A stream was admitted ({@code +1}) or ended ({@code -1}). */
    default void connected(Protocol protocol, int delta) {}

    /**
     * A stream was refused or ended by the server: unknown gateway or shard, malformed node, a request or a number
     * of streams over a limit, a stall; {@code reason} is the gRPC status (STALLED for a client reset for not reading).
     */
    default void refused(String reason) {}

    /**
     * A response was written.
     *
     * @param latencyNanos from the moment the stream learned there was work for this type to the write; it
     *     includes waiting for the previous response's ACK and for a slow client to drain
     */
    default void pushed(ResourceType type, int bytes, int resources, long latencyNanos) {}

    /** A response was acknowledged, {@code roundTripNanos} after it was written. */
    default void acked(ResourceType type, long roundTripNanos) {}

    default void nacked(ResourceType type, ShardId shard) {}

    /** A stream stopped producing because its client does not read fast enough. */
    default void backpressured() {}
}
