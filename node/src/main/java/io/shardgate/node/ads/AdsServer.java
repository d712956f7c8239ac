package io.shardgate.node.ads;

import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.shardgate.node.store.ShardDirectory;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.grpc.client.impl.GrpcClientImpl;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.Http2Settings;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcProtocol;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The aggregated discovery service (SotW StreamAggregatedResources and Delta DeltaAggregatedResources) over
 * HTTP/2 (mTLS unless {@link AdsServerOptions#tls()} is null, with {@link ClientAuthority} deciding who may be
 * served which gateway), serving each Envoy the shard it names: {@code node.cluster} is the gateway, node metadata
 * {@code shard} the shard. An unknown gateway or shard ends the stream with NOT_FOUND, a node that names none
 * with INVALID_ARGUMENT; a shard whose store is not ready yet gets no response until it is.
 *
 * <h2>Sharding: serve, relay, or refuse</h2>
 * Envoy may connect to any node. At admission (the first request, which names the client) the server asks its
 * {@link ShardRouter} where the client's shard lives: a shard this node owns is served from its local store; a
 * shard another node owns is relayed ({@link Relay}): the same method is opened on the owner's ADS server and
 * requests and responses are forwarded unchanged, the relay holding no xDS state; a shard not placed yet is
 * answered UNAVAILABLE (retry). A relayed stream carries a header naming the relaying node and is never
 * relayed again, so nodes with briefly different shard tables cannot bounce a stream between them.
 *
 * <h2>Moves: end and reconnect</h2>
 * When the shard table changes so that a client's shard lives somewhere else than when its stream was
 * admitted (served here and moved away, or relayed and moved to another node or to this one), the stream is
 * ended with UNAVAILABLE ("shard X moved to node Y; reconnect"); a relayed stream whose upstream fails (the
 * owner went away, the connection broke) is ended the same way. The client reconnects to any node and is
 * routed afresh. This is chosen over transparently re-homing the stream (opening a new upstream under the
 * same client stream): a new owner has its own nonces and does not know what the client holds, so re-homing
 * would need the relay to track xDS state (subscriptions, versions held, pending nonces) and replay it,
 * which is the protocol work Envoy's own reconnect already does correctly. With Delta, Envoy's reconnect
 * sends initial_resource_versions, so the new owner re-sends only what differs (nothing, since versions are
 * content hashes); with SotW it re-sends its subscriptions and gets the current state. Envoy keeps its config
 * while reconnecting, and a new owner serves a shard only once it has translated all of it, so Envoy never
 * holds a config lacking a domain. The cost is one reconnect per moved client per move; relays reach the new
 * owner over a connection opened when it was admitted ({@link PeerConnections}), and a node warms its TLS with a
 * few handshakes of its own when it starts ({@link TlsWarmup}), so that reconnect costs no cold handshake.
 *
 * <p>Threading: each stream is confined to the event loop of its connection (see {@link AdsStream} and
 * {@link Relay}); {@link #clients()} may be called from any thread; shard table changes arrive on the
 * table's thread and only schedule a check on each stream's context.
 */
public final class AdsServer {
    static final ServiceName SERVICE = ServiceName.create("envoy.service.discovery.v3.AggregatedDiscoveryService");
    static final ServiceMethod<DiscoveryRequest, DiscoveryResponse> SOTW = ServiceMethod.server(SERVICE,
            "StreamAggregatedResources", ProtoCodec.encoder(), ProtoCodec.decoder(DiscoveryRequest.parser()));
    static final ServiceMethod<DeltaDiscoveryRequest, DeltaDiscoveryResponse> DELTA = ServiceMethod.server(SERVICE,
            "DeltaAggregatedResources", ProtoCodec.encoder(), ProtoCodec.decoder(DeltaDiscoveryRequest.parser()));

    private final Vertx vertx;
    private final AdsStream.Collaborators collaborators;
    private final Set<ServedStream> streams = ConcurrentHashMap.newKeySet();
    private final GrpcClient upstream;
    private final List<GrpcClient> tlsRelays = new CopyOnWriteArrayList<>();
    private final Runnable stopRouting;
    private final List<PeerConnections> peerConnections = new CopyOnWriteArrayList<>();
    private final List<String> deployments = new CopyOnWriteArrayList<>();
    private final List<Long> timers = new CopyOnWriteArrayList<>();
    private volatile int port = -1;

    /** A stream the server lists and tells of shard table changes: one served here or one relayed. */
    interface ServedStream {
        /** The last published state; null before admission completed. */
        ClientSnapshot snapshot();

        /** Any thread: the shard table changed; the stream ends itself if its shard now lives elsewhere. */
        void routeChanged();

        /** Any thread: the stream ends itself if it has waited on its client longer than the stall timeout. */
        default void checkStall() {}
    }

    /** A server that serves every shard itself (no cluster). */
    public AdsServer(Vertx vertx, ShardDirectory directory, AdsMetrics metrics, NackListener nackListener) {
        this(vertx, directory, ShardRouter.LOCAL, metrics, nackListener);
    }

    /**
     * @param router where each shard is served; streams for shards another node owns are relayed to it
     */
    public AdsServer(Vertx vertx, ShardDirectory directory, ShardRouter router, AdsMetrics metrics,
            NackListener nackListener) {
        this.vertx = vertx;
        AdsStream.StreamRegistry registry = new AdsStream.StreamRegistry() {
            @Override
            public void add(ServedStream stream) {
                streams.add(stream);
            }

            @Override
            public void remove(ServedStream stream) {
                streams.remove(stream);
            }
        };
        this.upstream = relayClient(relayHttpOptions().setHttp2ClearTextUpgrade(false));
        this.collaborators = new AdsStream.Collaborators(new ShardResolver(directory), router, upstream,
                metrics, nackListener, registry, ClientLimits.DEFAULTS, ClientAuthority.OPEN);
        this.stopRouting = router.onChange(() -> {
            streams.forEach(ServedStream::routeChanged);
            if (peerConnections.isEmpty()) return;
            Map<String, String> peers = router.peers();
            peerConnections.forEach(connections -> connections.refresh(peers));
        });
    }

    /** Starts listening with the default {@link ClientLimits}, every client allowed every gateway. */
    public Future<Integer> listen(AdsServerOptions options) {
        return listen(options, ClientLimits.DEFAULTS, ClientAuthority.OPEN);
    }

    /**
     * Starts listening; completes with the port bound (the chosen one when {@code options.port()} is 0).
     *
     * @param authority who may be served which gateway, and which streams other nodes relay (those are bounded per
     *     connection by {@link ClientLimits#maxStreamsPerPeerConnection()} instead of
     *     {@link ClientLimits#maxStreamsPerConnection()})
     */
    public Future<Integer> listen(AdsServerOptions options, ClientLimits limits, ClientAuthority authority) {
        // Only gRPC over HTTP/2: gRPC-Web and transcoding are not for Envoy, and responses are framed for HTTP/2.
        GrpcServerOptions grpcOptions = new GrpcServerOptions().setMaxMessageSize(options.maxRequestBytes());
        for (GrpcProtocol protocol : GrpcProtocol.values()) {
            if (protocol != GrpcProtocol.HTTP_2) grpcOptions.removeEnabledProtocol(protocol);
        }
        GrpcServer grpc = GrpcServer.server(vertx, grpcOptions);
        StreamLimits streamLimits = new StreamLimits(limits, authority.peers(), collaborators.metrics());
        PendingRequestBytes pendingBytes = new PendingRequestBytes(limits.maxPendingRequestBytes(), options.maxRequestBytes());
        GrpcClient relays = upstream;
        TlsReload reload = null;
        if (options.tls() != null) {
            HttpClientAgent http = vertx.createHttpClient(TlsOptions.client(options.tls()));
            relays = relayClient(http);
            tlsRelays.add(relays);
            reload = new TlsReload(vertx, options.tls(), http);
            timers.add(reload.start(options.tlsReloadInterval()));
        }
        AdsStream.Collaborators with = collaborators.with(limits, authority, relays);
        PeerConnections peers = new PeerConnections(relays);
        peerConnections.add(peers);
        peers.refresh(collaborators.router().peers());
        grpc.callHandler(SOTW, call -> {
            StreamLimits.Permit permit = admit(call, streamLimits);
            if (permit != null) new SotwStream(call, with, permit).start();
        });
        grpc.callHandler(DELTA, call -> {
            StreamLimits.Permit permit = admit(call, streamLimits);
            if (permit != null) new DeltaStream(call, with, permit).start();
        });
        long sweep = Math.max(100, Math.min(5_000, limits.stallTimeout().toMillis() / 10));
        timers.add(vertx.setPeriodic(sweep, id -> streams.forEach(ServedStream::checkStall)));
        // Vert.x shares a random port among server instances asked for the same negative port.
        int bindPort = options.port() == 0 ? -1 : options.port();
        return deploy(grpc, options, streamLimits, pendingBytes, limits, bindPort, reload, options.eventLoops())
                .map(v -> port)
                .onSuccess(bound -> {
                    if (options.tls() != null && options.tlsWarmupHandshakes() > 0) {
                        TlsWarmup.run(vertx, options.tls(), loopbackFor(options.host()), bound, options.tlsWarmupHandshakes());
                    }
                });
    }

    /** Where this node reaches its own port: the wildcard addresses are not connectable everywhere. */
    private static String loopbackFor(String host) {
        if (host.equals("0.0.0.0")) return "127.0.0.1";
        if (host.equals("::") || host.equals("[::]")) return "::1";
        return host;
    }

    /**
     * A place for the call within the stream limits, or null once it is refused. Compressed requests are refused
     * too: Vert.x inflates a gzip message with no bound on the result (Envoy never compresses ADS requests).
     */
    private static StreamLimits.Permit admit(GrpcServerRequest<?, ?> call, StreamLimits limits) {
        String encoding = call.headers().get("grpc-encoding");
        if (encoding != null && !encoding.equals("identity")) {
            call.response().status(GrpcStatus.UNIMPLEMENTED)
                    .statusMessage("compressed requests are not accepted; send grpc-encoding identity").end();
            return null;
        }
        return limits.admit(call);
    }

    /**
     * HTTP/2 to the other nodes, whose connections never expire while idle: {@link PeerConnections} opens one to each
     * member ahead of the relays it will carry, and does not open it again, so a connection closed after Vert.x's
     * default 60 s of idleness had the first relays after a quiet minute each wait for a TLS handshake. There is at
     * most one per other member; one to a member that died closes with its socket.
     */
    static HttpClientOptions relayHttpOptions() {
        return new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2KeepAliveTimeout(0);
    }

    /** The client relays open the owner's streams with: over TLS with the node's certificate when the server has one. */
    private GrpcClient relayClient(HttpClientOptions http) {
        return GrpcClient.client(vertx, relayOptions(), http);
    }

    /**
     * Over a given HTTP client, whose TLS options {@link TlsReload} can replace. vertx-grpc's public factory for a
     * given client takes no options (its message size limit would cut a big shard's relayed response), so this uses
     * the implementation's constructor that does.
     */
    private GrpcClient relayClient(HttpClientAgent http) {
        return new GrpcClientImpl(vertx, relayOptions(), http, true) {};
    }

    private static GrpcClientOptions relayOptions() {
        return new GrpcClientOptions().setMaxMessageSize(Integer.MAX_VALUE).setScheduleDeadlineAutomatically(false);
    }

    /** The bound port, or -1 before {@link #listen} completed. */
    public int port() {
        return port;
    }

    /** The admitted clients, by node id. */
    public List<ClientSnapshot> clients() {
        return streams.stream()
                .map(ServedStream::snapshot)
                .filter(Objects::nonNull)
                .sorted(Comparator.comparing(ClientSnapshot::nodeId))
                .toList();
    }

    /** Stops listening and closes every connection. */
    public Future<Void> close() {
        stopRouting.run();
        timers.forEach(vertx::cancelTimer);
        List<Future<Void>> undeployed = new ArrayList<>(deployments.stream().map(vertx::undeploy).toList());
        deployments.clear();
        undeployed.add(upstream.close());
        tlsRelays.forEach(client -> undeployed.add(client.close()));
        return Future.all(undeployed).mapEmpty();
    }

    private Future<Void> deploy(GrpcServer grpc, AdsServerOptions options, StreamLimits streamLimits,
            PendingRequestBytes pendingBytes, ClientLimits limits, int bindPort, TlsReload reload, int instances) {
        return vertx.deployVerticle(() -> new Listener(grpc, options, streamLimits, pendingBytes, limits, bindPort, reload),
                        new DeploymentOptions().setInstances(instances))
                .onSuccess(deployments::add)
                .mapEmpty();
    }

    /** One HTTP/2 server instance on one event loop. */
    private final class Listener extends VerticleBase {
        private final GrpcServer grpc;
        private final AdsServerOptions options;
        private final StreamLimits streamLimits;
        private final PendingRequestBytes pendingBytes;
        private final ClientLimits limits;
        private final int bindPort;
        private final TlsReload reload;
        /** Timers to cancel when a connection closes; touched only on this instance's event loop. */
        private final Map<HttpConnection, List<Long>> closeTimers = new HashMap<>();

        Listener(GrpcServer grpc, AdsServerOptions options, StreamLimits streamLimits, PendingRequestBytes pendingBytes,
                ClientLimits limits, int bindPort, TlsReload reload) {
            this.grpc = grpc;
            this.reload = reload;
            this.options = options;
            this.streamLimits = streamLimits;
            this.pendingBytes = pendingBytes;
            this.limits = limits;
            this.bindPort = bindPort;
        }

        @Override
        public Future<?> start() {
            HttpServerOptions http = (options.tls() == null ? new HttpServerOptions().setHttp2ClearTextEnabled(true)
                            : TlsOptions.server(options.tls()))
                    .setHost(options.host())
                    .setPort(bindPort)
                    // A client's bound, enforced by HTTP/2 itself: a conforming client queues its excess streams,
                    // which then cost the node nothing. StreamLimits raises it for a connection that shows it is
                    // a relaying node's.
                    .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(limits.maxStreamsPerConnection()));
            return vertx.createHttpServer(http)
                    .requestHandler(request -> {
                        HttpServerRequest metered = pendingBytes.meter(request);
                        ArrivingRequest.during(metered, () -> grpc.handle(metered));
                    })
                    .connectionHandler(connection -> {
                        limitAge(connection);
                        keepAlive(connection);
                        connection.closeHandler(v -> {
                            List<Long> timers = closeTimers.remove(connection);
                            if (timers != null) timers.forEach(vertx::cancelTimer);
                            streamLimits.connectionClosed(connection);
                        });
                    })
                    .listen()
                    .onSuccess(server -> {
                        port = server.actualPort();
                        if (reload != null) reload.serving(server);
                    });
        }

        /** Max connection age: GOAWAY after the (jittered) age, then close after the grace period. */
        private void limitAge(HttpConnection connection) {
            if (options.maxConnectionAge() == null) return;
            double jitter = options.maxConnectionAgeJitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
            long ageMillis = Math.max(1, (long) (options.maxConnectionAge().toMillis() * (1 + jitter)));
            long graceMillis = options.maxConnectionAgeGrace().toMillis();
            long timer = vertx.setTimer(ageMillis, id -> connection.shutdown(graceMillis, TimeUnit.MILLISECONDS));
            closeTimers.computeIfAbsent(connection, c -> new ArrayList<>()).add(timer);
        }

        /** Keepalive: a PING every interval; no PONG within the timeout closes the connection. */
        private void keepAlive(HttpConnection connection) {
            if (options.keepAliveInterval() == null) return;
            long timeoutMillis = options.keepAliveTimeout().toMillis();
            long timer = vertx.setPeriodic(options.keepAliveInterval().toMillis(), id -> {
                long deadline = vertx.setTimer(timeoutMillis, late -> connection.close());
                connection.ping(Buffer.buffer("sgping00")).onSuccess(pong -> vertx.cancelTimer(deadline));
            });
            closeTimers.computeIfAbsent(connection, c -> new ArrayList<>()).add(timer);
        }
    }
}
