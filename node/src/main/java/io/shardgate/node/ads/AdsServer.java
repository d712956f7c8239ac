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
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
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
 * plaintext HTTP/2, serving each Envoy the shard it names: {@code node.cluster} is the gateway, node metadata
 * {@code shard} the shard. An unknown gateway or shard ends the stream with NOT_FOUND, a node that names none
 * with INVALID_ARGUMENT; a shard whose store is not ready yet gets no response until it is.
 *
 * <p>Threading: each stream is confined to the event loop of its connection (see {@link AdsStream});
 * {@link #clients()} may be called from any thread.
 */
public final class AdsServer {
    static final ServiceName SERVICE = ServiceName.create("envoy.service.discovery.v3.AggregatedDiscoveryService");
    static final ServiceMethod<DiscoveryRequest, DiscoveryResponse> SOTW = ServiceMethod.server(SERVICE,
            "StreamAggregatedResources", ProtoCodec.encoder(), ProtoCodec.decoder(DiscoveryRequest.parser()));
    static final ServiceMethod<DeltaDiscoveryRequest, DeltaDiscoveryResponse> DELTA = ServiceMethod.server(SERVICE,
            "DeltaAggregatedResources", ProtoCodec.encoder(), ProtoCodec.decoder(DeltaDiscoveryRequest.parser()));

    private final Vertx vertx;
    private final AdsStream.Collaborators collaborators;
    private final Set<AdsStream<?, ?>> streams = ConcurrentHashMap.newKeySet();
    private final List<String> deployments = new CopyOnWriteArrayList<>();
    private volatile int port = -1;

    public AdsServer(Vertx vertx, ShardDirectory directory, AdsMetrics metrics, NackListener nackListener) {
        this.vertx = vertx;
        AdsStream.StreamRegistry registry = new AdsStream.StreamRegistry() {
            @Override
            public void add(AdsStream<?, ?> stream) {
                streams.add(stream);
            }

            @Override
            public void remove(AdsStream<?, ?> stream) {
                streams.remove(stream);
            }
        };
        this.collaborators = new AdsStream.Collaborators(new ShardResolver(directory), metrics, nackListener, registry);
    }

    /** Starts listening; completes with the port bound (the chosen one when {@code options.port()} is 0). */
    public Future<Integer> listen(AdsServerOptions options) {
        GrpcServer grpc = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(options.maxRequestBytes()));
        grpc.callHandler(SOTW, call -> new SotwStream(call, collaborators).start());
        grpc.callHandler(DELTA, call -> new DeltaStream(call, collaborators).start());
        // Vert.x shares a random port among server instances asked for the same negative port.
        int bindPort = options.port() == 0 ? -1 : options.port();
        return deploy(grpc, options, bindPort, options.eventLoops()).map(v -> port);
    }

    /** The bound port, or -1 before {@link #listen} completed. */
    public int port() {
        return port;
    }

    /** The admitted clients, by node id. */
    public List<ClientSnapshot> clients() {
        return streams.stream()
                .map(AdsStream::snapshot)
                .filter(Objects::nonNull)
                .sorted(Comparator.comparing(ClientSnapshot::nodeId))
                .toList();
    }

    /** Stops listening and closes every connection. */
    public Future<Void> close() {
        List<Future<Void>> undeployed = deployments.stream().map(vertx::undeploy).toList();
        deployments.clear();
        return Future.all(undeployed).mapEmpty();
    }

    private Future<Void> deploy(GrpcServer grpc, AdsServerOptions options, int bindPort, int instances) {
        return vertx.deployVerticle(() -> new Listener(grpc, options, bindPort), new DeploymentOptions().setInstances(instances))
                .onSuccess(deployments::add)
                .mapEmpty();
    }

    /** One HTTP/2 server instance on one event loop. */
    private final class Listener extends VerticleBase {
        private final GrpcServer grpc;
        private final AdsServerOptions options;
        private final int bindPort;
        /** Timers to cancel when a connection closes; touched only on this instance's event loop. */
        private final Map<HttpConnection, List<Long>> closeTimers = new HashMap<>();

        Listener(GrpcServer grpc, AdsServerOptions options, int bindPort) {
            this.grpc = grpc;
            this.options = options;
            this.bindPort = bindPort;
        }

        @Override
        public Future<?> start() {
            HttpServerOptions http = new HttpServerOptions()
                    .setHost(options.host())
                    .setPort(bindPort)
                    .setHttp2ClearTextEnabled(true);
            return vertx.createHttpServer(http)
                    .requestHandler(grpc)
                    .connectionHandler(connection -> {
                        limitAge(connection);
                        keepAlive(connection);
                        connection.closeHandler(v -> {
                            List<Long> timers = closeTimers.remove(connection);
                            if (timers != null) timers.forEach(vertx::cancelTimer);
                        });
                    })
                    .listen()
                    .onSuccess(server -> port = server.actualPort());
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
