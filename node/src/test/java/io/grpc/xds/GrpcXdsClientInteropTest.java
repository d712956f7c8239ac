package io.grpc.xds;

import static io.shardgate.node.testing.Fixtures.endpointSlice;
import static io.shardgate.node.testing.Fixtures.ingress;
import static io.shardgate.node.testing.Fixtures.ingressClass;
import static io.shardgate.node.testing.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.grpc.MetricRecorder;
import io.grpc.StatusOr;
import io.grpc.xds.client.Bootstrapper;
import io.grpc.xds.client.XdsClient;
import io.shardgate.node.testing.Conditions;
import io.shardgate.node.testing.KubeMock;
import io.shardgate.node.testing.RunningNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * grpc-java's own xDS client (grpc-xds, SotW), an implementation we did not write, fetches a cluster and its
 * endpoints produced from Kubernetes objects, and sees an endpoint change. It lives in package io.grpc.xds
 * because grpc-xds keeps its resource types package-private; nothing else of grpc's internals is touched.
 */
class GrpcXdsClientInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void grpcXdsClientReceivesClustersAndEndpointsFromKubernetesObjects() throws Exception {
        try (KubeMock kube = KubeMock.start(); RunningNode node = RunningNode.on(kube)) {
            apply(kube, ingressClass("interop", false));
            apply(kube, service("shop", "web").port("http", 80).build());
            apply(kube, endpointSlice("shop", "web-1", "web").port("http", 8080)
                    .endpoint("10.0.0.1", true).endpoint("10.0.0.2", true).endpoint("10.0.0.3", false).build());
            apply(kube, ingress("shop", "web").className("interop").host("shop.example.com").path("/", "web", 80).build());
            Conditions.await("the gateway known to the node", WAIT,
                    () -> node.node().directory().gateways().containsKey("interop"));

            Bootstrapper.BootstrapInfo bootstrap = new GrpcBootstrapperImpl().bootstrap(Map.of(
                    "xds_servers", List.of(Map.of(
                            "server_uri", "127.0.0.1:" + node.node().adsPort(),
                            "channel_creds", List.of(Map.of("type", "insecure")),
                            "server_features", List.of("xds_v3"))),
                    "node", Map.of("id", "grpc-interop", "cluster", "interop", "metadata", Map.of("shard", 0.0))));
            var pool = InternalSharedXdsClientPoolProvider.getOrCreate("shardgate-interop-" + System.nanoTime(), bootstrap,
                    new MetricRecorder() {}, null);
            XdsClient client = pool.getObject();
            try {
                AtomicReference<StatusOr<XdsClusterResource.CdsUpdate>> cluster = new AtomicReference<>();
                AtomicReference<StatusOr<XdsEndpointResource.EdsUpdate>> endpoints = new AtomicReference<>();
                client.watchXdsResource(XdsClusterResource.getInstance(), "shop/web:80", watcher(cluster));
                client.watchXdsResource(XdsEndpointResource.getInstance(), "shop/web:80", watcher(endpoints));

                Conditions.awaitDescribed("the cluster and its endpoints", WAIT,
                        () -> ok(cluster) && ok(endpoints) && addresses(endpoints.get().getValue()).size() == 2,
                        () -> "cluster=" + cluster.get() + " endpoints=" + endpoints.get());
                XdsClusterResource.CdsUpdate cds = cluster.get().getValue();
                assertThat(cds.clusterType()).isEqualTo(XdsClusterResource.CdsUpdate.ClusterType.EDS);
                assertThat(cds.edsServiceName()).isEqualTo("shop/web:80");
                assertThat(addresses(endpoints.get().getValue())).containsExactly("10.0.0.1:8080", "10.0.0.2:8080");

                apply(kube, endpointSlice("shop", "web-1", "web").port("http", 8080).endpoint("10.0.0.9", true).build());
                Conditions.awaitDescribed("the endpoint change", WAIT,
                        () -> ok(endpoints) && addresses(endpoints.get().getValue()).equals(Set.of("10.0.0.9:8080")),
                        () -> "endpoints=" + endpoints.get());
            } finally {
                pool.returnObject(client);
            }
        }
    }

    private static <T extends XdsClient.ResourceUpdate> XdsClient.ResourceWatcher<T> watcher(AtomicReference<StatusOr<T>> latest) {
        return new XdsClient.ResourceWatcher<>() {
            @Override
            public void onResourceChanged(StatusOr<T> update) {
                latest.set(update);
            }

            @Override
            public void onAmbientError(io.grpc.Status error) {}
        };
    }

    private static boolean ok(AtomicReference<? extends StatusOr<?>> ref) {
        return ref.get() != null && ref.get().hasValue();
    }

    private static Set<String> addresses(XdsEndpointResource.EdsUpdate update) {
        Set<String> out = new TreeSet<>();
        for (Endpoints.LocalityLbEndpoints locality : update.localityLbEndpointsMap.values()) {
            for (Endpoints.LbEndpoint endpoint : locality.endpoints()) {
                for (var address : endpoint.eag().getAddresses()) {
                    InetSocketAddress socket = (InetSocketAddress) address;
                    out.add(socket.getHostString() + ":" + socket.getPort());
                }
            }
        }
        return out;
    }

    private static void apply(KubeMock kube, HasMetadata object) {
        kube.client().resource(object).createOr(existing -> existing.update());
    }
}
