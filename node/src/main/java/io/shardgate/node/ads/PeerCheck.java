package io.shardgate.node.ads;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpConnection;

/**
 * Tells a stream another node relays (counted against {@link ClientLimits#maxStreamsPerPeerConnection}) from
 * an Envoy's own (counted against {@link ClientLimits#maxStreamsPerConnection}). Until nodes authenticate each
 * other, the relay header is all there is, and any client can send it: such a client gets the peer bound per
 * connection and still the node's bound. Once connections carry node certificates, the check reads the
 * connection's certificate and ignores the header.
 */
@FunctionalInterface
public interface PeerCheck {
    /** A stream that carries the relay header ({@link Relay#RELAYED_BY_HEADER}). */
    PeerCheck RELAY_HEADER = (connection, headers) -> headers.contains(Relay.RELAYED_BY_HEADER);

    /** Called on the connection's event loop when a stream opens, with the stream's request headers. */
    boolean isPeer(HttpConnection connection, MultiMap requestHeaders);
}
