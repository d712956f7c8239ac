package io.shardgate.xdsclient;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A resource the server takes away is reported once, however the protocol says it (Delta: a removal; SotW: absence). */
class RemovalsTest {
    private static final String LISTENER_TYPE = FakeAdsServer.LISTENER_TYPE;

    private FakeAdsServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = new FakeAdsServer(new TwoThenOne());
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.close();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aListenerTheServerTakesAwayIsReportedAsRemoved(Mode mode) throws Exception {
        List<RemovedResource> removed = new CopyOnWriteArrayList<>();
        XdsClientOptions options = XdsClientOptions.of("127.0.0.1", server.port(), mode, "envoy-0", "public", 0)
                .withOnRemoval(removed::add);
        try (XdsClient client = XdsClient.connect(options)) {
            boolean down = client.awaitState(s -> s.resources(XdsType.LISTENER).keySet().equals(java.util.Set.of("http"))
                    && s.acksSent() >= 2, Duration.ofSeconds(10));
            assertThat(down).as("the client holds the one listener left: %s", client.describe()).isTrue();
        }
        assertThat(removed).singleElement().satisfies(r -> {
            assertThat(r.type()).isEqualTo(XdsType.LISTENER);
            assertThat(r.name()).isEqualTo("https");
            assertThat(r.nanos()).isPositive();
        });
    }

    /** Sends listeners http and https, then, once that is acknowledged, takes https away. */
    private static final class TwoThenOne extends AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase {
        @Override
        public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> responses) {
            return FakeAdsServer.onRequests(request -> {
                if (!request.getTypeUrl().equals(LISTENER_TYPE)) return;
                if (request.getResponseNonce().isEmpty()) {
                    responses.onNext(DiscoveryResponse.newBuilder().setTypeUrl(LISTENER_TYPE).setVersionInfo("1").setNonce("n1")
                            .addResources(listener("http")).addResources(listener("https")).build());
                } else if (request.getResponseNonce().equals("n1")) {
                    responses.onNext(DiscoveryResponse.newBuilder().setTypeUrl(LISTENER_TYPE).setVersionInfo("2").setNonce("n2")
                            .addResources(listener("http")).build());
                }
            });
        }

        @Override
        public StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(StreamObserver<DeltaDiscoveryResponse> responses) {
            return FakeAdsServer.onRequests(request -> {
                if (!request.getTypeUrl().equals(LISTENER_TYPE)) return;
                if (request.getResponseNonce().isEmpty()) {
                    responses.onNext(DeltaDiscoveryResponse.newBuilder().setTypeUrl(LISTENER_TYPE).setSystemVersionInfo("1")
                            .setNonce("n1").addResources(resource("http")).addResources(resource("https")).build());
                } else if (request.getResponseNonce().equals("n1")) {
                    responses.onNext(DeltaDiscoveryResponse.newBuilder().setTypeUrl(LISTENER_TYPE).setSystemVersionInfo("2")
                            .setNonce("n2").addRemovedResources("https").build());
                }
            });
        }

        private static Any listener(String name) {
            return Any.pack(Listener.newBuilder().setName(name).build());
        }

        private static Resource resource(String name) {
            return Resource.newBuilder().setName(name).setVersion("1").setResource(listener(name)).build();
        }
    }
}
