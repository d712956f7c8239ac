package io.shardgate.node.ads;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.shardgate.sharding.ShardId;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.XdsClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A stream whose shard has no owner right now (moving between nodes, not placed yet) waits on the node for the
 * table to place it instead of being refused, so Envoys do not retry in a storm; the wait is bounded.
 */
class AdsPlacementWaitTest {

    /** A shard table the test changes, telling listeners as the cluster's does. */
    private static final class MovingRouter implements ShardRouter {
        final AtomicReference<Route> route = new AtomicReference<>(Route.UNPLACED);
        final List<Runnable> listeners = new CopyOnWriteArrayList<>();
        volatile boolean fenced;

        @Override
        public boolean servesNothing() {
            return fenced;
        }

        @Override
        public Route route(ShardId shard) {
            return route.get();
        }

        @Override
        public Runnable onChange(Runnable listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }

        void place(Route now) {
            route.set(now);
            listeners.forEach(Runnable::run);
        }
    }

    private final MovingRouter router = new MovingRouter();
    private AdsTestBed bed;

    private XdsClient connectWaitingUpTo(Duration wait, Mode mode) throws Exception {
        bed = new AdsTestBed(router, options -> options, ClientLimits.DEFAULTS.withPlacementWait(wait));
        StandardShard.serve(bed);
        return bed.connect(mode);
    }

    @AfterEach
    void close() throws Exception {
        if (bed != null) bed.close();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aStreamForAnUnplacedShardWaitsAndIsServedOnceTheShardIsPlaced(Mode mode) throws Exception {
        XdsClient envoy = connectWaitingUpTo(Duration.ofMinutes(1), mode);
        // Waiting: registered for the table's next change, neither served nor refused.
        io.shardgate.node.testing.Conditions.await("the stream waiting on the table", AdsTestBed.TIMEOUT,
                () -> router.listeners.size() == 2 && bed.metrics.connected.get() == 0);
        router.place(ShardRouter.Route.LOCAL);

        bed.awaitStoreState(envoy);
        assertThat(bed.metrics.refused.get()).as("never refused").isZero();
        assertThat(envoy.terminated()).isNotDone();
        assertThat(router.listeners).as("it stopped waiting; only the server's own listener is left").hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theWaitIsBoundedThenTheStreamIsRefusedAsUnavailable(Mode mode) throws Exception {
        XdsClient envoy = connectWaitingUpTo(Duration.ofMillis(300), mode);

        Status status = envoy.terminated().get(AdsTestBed.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).contains("has no owner yet");
        assertThat(bed.metrics.connected.get()).isZero();
    }

    /**
     * Found in chaos kills: for the half second before a dead owner's departure was noticed, every client of its
     * shard that reached another node was relayed to it, refused a connection, ended, and reconnected, round after
     * round; several came back only a second after the shard was served again.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aStreamWhoseOwnerCannotBeReachedWaitsForTheTableTryingAgainAndIsServedOnceTheShardMoves(Mode mode) throws Exception {
        try (DeadOwner dead = new DeadOwner()) {
            XdsClient envoy = connectRelayedTo(dead, Duration.ofMinutes(1), mode);
            io.shardgate.node.testing.Conditions.await("three relay attempts on the same stream", AdsTestBed.TIMEOUT,
                    () -> dead.attempts() >= 3);
            assertThat(envoy.terminated()).as("the stream waits instead of ending").isNotDone();

            router.place(ShardRouter.Route.LOCAL);

            bed.awaitStoreState(envoy);
            assertThat(envoy.terminated()).isNotDone();
            assertThat(bed.metrics.refused.get()).as("never refused").isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aStreamWhoseOwnerStaysUnreachableIsEndedOnceThePlacementWaitHasPassed(Mode mode) throws Exception {
        try (DeadOwner dead = new DeadOwner()) {
            XdsClient envoy = connectRelayedTo(dead, Duration.ofMillis(1200), mode);

            Status status = envoy.terminated().get(AdsTestBed.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(status.getDescription()).contains("to its owner dead-member").contains("failed");
            assertThat(dead.attempts()).as("tried again within the wait").isGreaterThanOrEqualTo(2);
            assertThat(bed.metrics.connected.get()).isZero();
        }
    }

    /**
     * Found in a chaos run: a client relayed to an owner that took its stream but never answered (paused, then
     * terminated) was handed back when the shard moved to the relaying node itself, and then received nothing
     * more for 100 s.
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aStreamRelayedToAnOwnerThatNeverAnswersIsServedHereOnceTheShardMovesHereAndFollowsItsChanges(Mode mode) throws Exception {
        try (SilentOwner silent = new SilentOwner()) {
            router.place(new ShardRouter.Remote("silent-member", "127.0.0.1:" + silent.port()));
            XdsClient envoy = connectWaitingUpTo(Duration.ofMinutes(1), mode);
            io.shardgate.node.testing.Conditions.await("the stream relayed to the silent owner", AdsTestBed.TIMEOUT,
                    () -> silent.streams() >= 1);

            router.place(ShardRouter.Route.LOCAL);
            bed.awaitStoreState(envoy);
            bed.put(EnvoyResources.cluster("svc-c"));
            bed.awaitStoreState(envoy);
            bed.put(EnvoyResources.endpoints("svc-c", 8080, 1));
            bed.awaitStoreState(envoy);
            assertThat(envoy.terminated()).isNotDone();
        }
    }

    /** An ADS server that takes every stream and never answers: an owner paused, or stuck, after accepting it. */
    private static final class SilentOwner implements AutoCloseable {
        private final java.util.concurrent.atomic.AtomicInteger streams = new java.util.concurrent.atomic.AtomicInteger();
        private final io.grpc.Server server;

        SilentOwner() throws java.io.IOException {
            server = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder
                    .forAddress(new java.net.InetSocketAddress("127.0.0.1", 0))
                    .addService(new io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase() {
                        @Override
                        public io.grpc.stub.StreamObserver<io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest> streamAggregatedResources(
                                io.grpc.stub.StreamObserver<io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse> responses) {
                            streams.incrementAndGet();
                            return ignoring();
                        }

                        @Override
                        public io.grpc.stub.StreamObserver<io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest> deltaAggregatedResources(
                                io.grpc.stub.StreamObserver<io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse> responses) {
                            streams.incrementAndGet();
                            return ignoring();
                        }
                    })
                    .build().start();
        }

        private static <T> io.grpc.stub.StreamObserver<T> ignoring() {
            return new io.grpc.stub.StreamObserver<>() {
                @Override public void onNext(T value) {}
                @Override public void onError(Throwable t) {}
                @Override public void onCompleted() {}
            };
        }

        int port() {
            return server.getPort();
        }

        int streams() {
            return streams.get();
        }

        @Override
        public void close() {
            server.shutdownNow();
        }
    }

    /** A client of a shard the table gives to {@code dead}, on a node that waits up to {@code wait} for placement. */
    private XdsClient connectRelayedTo(DeadOwner dead, Duration wait, Mode mode) throws Exception {
        router.place(new ShardRouter.Remote("dead-member", "127.0.0.1:" + dead.port()));
        return connectWaitingUpTo(wait, mode);
    }

    /** An address that accepts connections and closes them at once, counting them: an owner that cannot serve. */
    private static final class DeadOwner implements AutoCloseable {
        private final java.net.ServerSocket socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();

        DeadOwner() throws java.io.IOException {
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (java.net.Socket s = socket.accept()) {
                        attempts.incrementAndGet();
                    } catch (java.io.IOException closed) {
                        // closing
                    }
                }
            }, "dead-owner");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int attempts() {
            return attempts.get();
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aNodeThatServesNothingRefusesAtOnceSoTheClientGoesElsewhere(Mode mode) throws Exception {
        router.fenced = true; // paused and catching up
        XdsClient envoy = connectWaitingUpTo(Duration.ofMinutes(1), mode);

        Status status = envoy.terminated().get(AdsTestBed.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).contains("connect to another node");
        assertThat(router.listeners).as("it never waited on the table").hasSize(1);
    }
}
