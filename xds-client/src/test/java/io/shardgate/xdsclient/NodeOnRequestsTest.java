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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Whether the node goes on the first request of a stream only (the default) or on every request. */
class NodeOnRequestsTest {
    private static final Listener LISTENER = Listener.newBuilder().setName("http").build();

    /** Per request received on the stream, any type, in order: whether it carried the node. */
    private final List<Boolean> nodePresent = new CopyOnWriteArrayList<>();
    private final CountDownLatch listenerAcked = new CountDownLatch(1);
    private FakeAdsServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = new FakeAdsServer(new OneListenerServer());
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.close();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void byDefaultOnlyTheFirstRequestOfAStreamCarriesTheNode(Mode mode) throws Exception {
        List<Boolean> requests = requestsUpToTheListenerAck(mode, false);
        assertThat(requests.get(0)).isTrue();
        assertThat(requests.subList(1, requests.size())).isNotEmpty().containsOnly(false);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void optionallyEveryRequestCarriesIt(Mode mode) throws Exception {
        assertThat(requestsUpToTheListenerAck(mode, true)).hasSizeGreaterThan(1).containsOnly(true);
    }

    private List<Boolean> requestsUpToTheListenerAck(Mode mode, boolean every) throws Exception {
        XdsClientOptions options = XdsClientOptions.of("127.0.0.1", server.port(), mode, "envoy-0", "public", 0)
                .withNodeOnEveryRequest(every);
        try (XdsClient client = XdsClient.connect(options)) {
            assertThat(listenerAcked.await(10, TimeUnit.SECONDS)).as("the listener acknowledged").isTrue();
            return List.copyOf(nodePresent);
        }
    }

    /** Answers the first LDS request with one listener; records every request until that is acknowledged. */
    private final class OneListenerServer extends AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase {
        @Override
        public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> responses) {
            return FakeAdsServer.onRequests(request -> onRequest(request.hasNode(), request.getTypeUrl(), request.getResponseNonce(),
                    () -> responses.onNext(DiscoveryResponse.newBuilder().setTypeUrl(FakeAdsServer.LISTENER_TYPE).setVersionInfo("1")
                            .setNonce("n1").addResources(Any.pack(LISTENER)).build())));
        }

        @Override
        public StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(StreamObserver<DeltaDiscoveryResponse> responses) {
            return FakeAdsServer.onRequests(request -> onRequest(request.hasNode(), request.getTypeUrl(), request.getResponseNonce(),
                    () -> responses.onNext(DeltaDiscoveryResponse.newBuilder().setTypeUrl(FakeAdsServer.LISTENER_TYPE).setNonce("n1")
                            .addResources(Resource.newBuilder().setName("http").setVersion("1").setResource(Any.pack(LISTENER)))
                            .build())));
        }

        private void onRequest(boolean hasNode, String typeUrl, String nonce, Runnable sendListener) {
            if (listenerAcked.getCount() == 0) return;
            nodePresent.add(hasNode);
            if (!typeUrl.equals(FakeAdsServer.LISTENER_TYPE)) return;
            if (nonce.isEmpty()) {
                sendListener.run();
            } else {
                listenerAcked.countDown();
            }
        }
    }
}
