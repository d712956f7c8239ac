package io.shardgate.node.ads;

import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpConnection;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the ADS streams open per connection and on the node, and refuses one beyond {@link ClientLimits} with
 * RESOURCE_EXHAUSTED before it reads anything. A stream admitted holds a {@link Permit} that it releases when
 * it ends; the permits a connection still holds are released when the connection closes, so a stream that
 * never saw its end cannot leak its place.
 *
 * <p>A connection's counts are touched only on its event loop (its streams and its close handler run there);
 * the node's count is shared.
 */
final class StreamLimits {
    private final ClientLimits limits;
    private final PeerCheck peers;
    private final AdsMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<HttpConnection, ConnectionStreams> connections = new ConcurrentHashMap<>();

    StreamLimits(ClientLimits limits, PeerCheck peers, AdsMetrics metrics) {
        this.limits = limits;
        this.peers = peers;
        this.metrics = metrics;
    }

    /** A place for one stream; {@link #release} is idempotent. */
    final class Permit {
        private final ConnectionStreams owner;
        private final boolean peer;
        private boolean released;

        private Permit(ConnectionStreams owner, boolean peer) {
            this.owner = owner;
            this.peer = peer;
        }

        void release() {
            if (released) return;
            released = true;
            owner.permits.remove(this);
            if (peer) owner.peerStreams--; else owner.clientStreams--;
            open.decrementAndGet();
        }
    }

    private static final class ConnectionStreams {
        final Set<Permit> permits = new HashSet<>();
        int clientStreams;
        int peerStreams;
        boolean raisedForPeer;
    }

    /** Streams open on the node now. */
    int open() {
        return open.get();
    }

    /**
     * On the call's event loop, before anything is read: a permit, or null after ending the call with
     * RESOURCE_EXHAUSTED.
     */
    Permit admit(GrpcServerRequest<?, ?> call) {
        HttpConnection connection = call.connection();
        boolean peer = peers.isPeer(connection, call.headers());
        ConnectionStreams streams = connections.get(connection);
        if (streams == null) {
            streams = new ConnectionStreams();
            connections.put(connection, streams);
        }
        if (peer && !streams.raisedForPeer) {
            // The connection opened with a client's SETTINGS_MAX_CONCURRENT_STREAMS: a relaying node needs more.
            streams.raisedForPeer = true;
            connection.updateSettings(new Http2Settings(connection.settings())
                    .setMaxConcurrentStreams(limits.maxStreamsPerPeerConnection()));
        }
        int onConnection = peer ? streams.peerStreams : streams.clientStreams;
        int allowed = peer ? limits.maxStreamsPerPeerConnection() : limits.maxStreamsPerConnection();
        if (onConnection >= allowed) {
            return refuse(call, "this connection already has " + onConnection + " ADS streams, the most allowed"
                    + (peer ? " from a relaying node" : " from one client"));
        }
        if (open.incrementAndGet() > limits.maxStreams()) {
            open.decrementAndGet();
            return refuse(call, "this node already serves " + limits.maxStreams() + " ADS streams, the most allowed;"
                    + " connect to another node");
        }
        if (peer) streams.peerStreams++; else streams.clientStreams++;
        Permit permit = new Permit(streams, peer);
        streams.permits.add(permit);
        return permit;
    }

    /** On the connection's event loop, when it has closed: releases what its streams still hold. */
    void connectionClosed(HttpConnection connection) {
        ConnectionStreams streams = connections.remove(connection);
        if (streams != null) Set.copyOf(streams.permits).forEach(Permit::release);
    }

    private Permit refuse(GrpcServerRequest<?, ?> call, String why) {
        metrics.refused(GrpcStatus.RESOURCE_EXHAUSTED.name());
        call.response().status(GrpcStatus.RESOURCE_EXHAUSTED).statusMessage(why).end();
        return null;
    }
}
