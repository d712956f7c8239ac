package io.shardgate.node.ads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardgate.node.testing.Conditions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A peer's relay connection is opened before any stream needs it, and the first relay reuses it. */
class PeerConnectionsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger streams = new AtomicInteger();
    private Vertx vertx;
    private HttpServer peer;
    private GrpcClient relays;

    @BeforeEach
    void peerListening() throws Exception {
        vertx = Vertx.vertx();
        peer = listen(0);
        relays = GrpcClient.client(vertx, new GrpcClientOptions(),
                new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    }

    /** An HTTP/2 server standing in for a peer's ADS port: it counts connections and streams, and ends each stream. */
    private HttpServer listen(int port) throws Exception {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(true))
                .connectionHandler(c -> {
                    connections.incrementAndGet();
                    c.closeHandler(v -> closed.incrementAndGet());
                })
                .requestHandler(request -> {
                    streams.incrementAndGet();
                    request.response().putHeader("content-type", "application/grpc").putTrailer("grpc-status", "0").end();
                });
        return server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPeerIsConnectedToOnceWithoutAStreamAndTheFirstRelayUsesThatConnection() throws Exception {
        String address = "127.0.0.1:" + peer.actualPort();
        PeerConnections peers = new PeerConnections(relays);

        peers.refresh(Map.of("member-a", address));
        peers.refresh(Map.of("member-a", address));
        Conditions.await("the peer to see the relay connection", WAIT, () -> connections.get() == 1);

        var request = relays.request(SocketAddress.inetSocketAddress(peer.actualPort(), "127.0.0.1"))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        request.serviceName(AdsServer.SERVICE).methodName("DeltaAggregatedResources");
        request.end();
        request.response().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Conditions.await("the relayed stream to arrive", WAIT, () -> streams.get() == 1);

        // The opening stream was cancelled before it sent anything: the peer saw one stream, the relay's, on the
        // one connection, which the cancel did not close.
        assertEquals(1, streams.get(), "streams the peer saw");
        assertEquals(1, connections.get(), "connections the peer saw");
        assertEquals(0, closed.get(), "connections closed");
        assertEquals(Set.of("member-a"), peers.opened());
    }

    @Test
    void aRestartedPeerIsConnectedToUnderItsNewIdAndTheGoneOneIsForgotten() {
        String address = "127.0.0.1:" + peer.actualPort();
        PeerConnections peers = new PeerConnections(relays);
        peers.refresh(Map.of("member-a", address));
        Conditions.await("the peer to see the relay connection", WAIT, () -> connections.get() == 1);

        peers.refresh(Map.of("member-a2", address));

        assertEquals(Set.of("member-a2"), peers.opened());
    }

    @Test
    void aPeerNotListeningYetIsTriedAgainOnTheNextRefresh() throws Exception {
        int port = peer.actualPort();
        peer.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        PeerConnections peers = new PeerConnections(relays);

        peers.refresh(Map.of("member-b", "127.0.0.1:" + port));
        Conditions.await("the failed connection to be forgotten", WAIT, () -> peers.opened().isEmpty());

        peer = listen(port);
        peers.refresh(Map.of("member-b", "127.0.0.1:" + port));
        Conditions.await("the peer to see the relay connection", WAIT, () -> connections.get() == 1);
        assertEquals(Set.of("member-b"), peers.opened());
    }
}
