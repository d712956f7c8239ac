package io.shardgate.node.ads;

import java.time.Duration;

/**
 * What one client, and all of them together, may make a node hold (see docs/security.md, "Hostile clients").
 * The defaults are far above what a gateway fleet uses and well below what exhausts a node at the shipped heap.
 * The request size is {@link AdsServerOptions#maxRequestBytes()}: it belongs to the gRPC listener.
 *
 * @param maxNamesPerSubscription resource names one stream may subscribe to per type (SotW: names in one
 *     request; Delta: the subscription after a request, and the initial_resource_versions of the first)
 * @param maxStreamsPerConnection ADS streams at once on one client connection (an Envoy opens one); the HTTP/2
 *     SETTINGS_MAX_CONCURRENT_STREAMS every connection starts with, so a conforming client queues its excess
 * @param maxStreamsPerPeerConnection ADS streams at once on a connection from another node, which multiplexes
 *     the streams it relays (see {@link PeerCheck}); the connection's SETTINGS are raised to it when it shows it
 *     is a peer
 * @param maxStreams ADS streams at once on this node, served, relayed out and relayed in
 * @param stallTimeout a stream with a response unacknowledged, or bytes its client does not read, for this long
 *     is ended (reset when its client does not read: the end could not reach it)
 * @param nackLogInterval one stream logs at most one NACK per interval; the others are counted in the next line
 * @param maxPendingRequestBytes bytes of request messages begun and not yet ended, over all streams of the node
 *     (see {@link PendingRequestBytes}); a stream taking the node past it is reset
 * @param placementWait how long a new stream whose shard has no owner right now (moving, or not placed yet) waits
 *     on the node, its requests unread, before it is refused with UNAVAILABLE: Envoys wait out a handover
 *     instead of retrying in a storm
 */
public record ClientLimits(
        int maxNamesPerSubscription,
        int maxStreamsPerConnection,
        int maxStreamsPerPeerConnection,
        int maxStreams,
        Duration stallTimeout,
        Duration nackLogInterval,
        long maxPendingRequestBytes,
        Duration placementWait) {

    public static final ClientLimits DEFAULTS = new ClientLimits(100_000, 100, 1_000, 1_000, Duration.ofMinutes(5),
            Duration.ofSeconds(10), 64L << 20, Duration.ofSeconds(10));

    public ClientLimits {
        positive("maxNamesPerSubscription", maxNamesPerSubscription);
        positive("maxStreamsPerConnection", maxStreamsPerConnection);
        positive("maxStreamsPerPeerConnection", maxStreamsPerPeerConnection);
        positive("maxStreams", maxStreams);
        if (stallTimeout.isNegative() || stallTimeout.isZero()) throw new IllegalArgumentException("stallTimeout must be positive");
        if (nackLogInterval.isNegative()) throw new IllegalArgumentException("nackLogInterval must not be negative");
        if (maxPendingRequestBytes < 1) throw new IllegalArgumentException("maxPendingRequestBytes must be at least 1");
        if (placementWait.isNegative()) throw new IllegalArgumentException("placementWait must not be negative");
    }

    private static void positive(String name, int value) {
        if (value < 1) throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }

    public ClientLimits withMaxNamesPerSubscription(int n) {
        return new ClientLimits(n, maxStreamsPerConnection, maxStreamsPerPeerConnection, maxStreams, stallTimeout, nackLogInterval,
                maxPendingRequestBytes, placementWait);
    }

    public ClientLimits withStreams(int perConnection, int perPeerConnection, int perNode) {
        return new ClientLimits(maxNamesPerSubscription, perConnection, perPeerConnection, perNode, stallTimeout, nackLogInterval,
                maxPendingRequestBytes, placementWait);
    }

    public ClientLimits withStallTimeout(Duration timeout) {
        return new ClientLimits(maxNamesPerSubscription, maxStreamsPerConnection, maxStreamsPerPeerConnection, maxStreams,
                timeout, nackLogInterval, maxPendingRequestBytes, placementWait);
    }

    public ClientLimits withNackLogInterval(Duration interval) {
        return new ClientLimits(maxNamesPerSubscription, maxStreamsPerConnection, maxStreamsPerPeerConnection, maxStreams,
                stallTimeout, interval, maxPendingRequestBytes, placementWait);
    }

    public ClientLimits withMaxPendingRequestBytes(long bytes) {
        return new ClientLimits(maxNamesPerSubscription, maxStreamsPerConnection, maxStreamsPerPeerConnection, maxStreams,
                stallTimeout, nackLogInterval, bytes, placementWait);
    }

    public ClientLimits withPlacementWait(Duration wait) {
        return new ClientLimits(maxNamesPerSubscription, maxStreamsPerConnection, maxStreamsPerPeerConnection, maxStreams,
                stallTimeout, nackLogInterval, maxPendingRequestBytes, wait);
    }
}
