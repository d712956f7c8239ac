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
import io.shardgate.node.ads.CertificateAuthority;
import io.shardgate.node.tls.LocalCertificates;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * grpc-java's own xDS client (grpc-xds, SotW), an implementation we did not write, connects over mTLS with its
 * gateway's client certificate, fetches a cluster and its endpoints produced from Kubernetes objects, and sees an
 * endpoint change. It lives in package io.grpc.xds because grpc-xds keeps its resource types and its credentials
 * registry package-private. grpc-xds 1.85's own "tls" channel credentials take no client certificate, so the test
 * registers credentials that do (TlsChannelCredentials with a key manager), as an application would.
 */
class GrpcXdsClientInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CREDENTIALS = "shardgate-test-mtls";

    @TempDir
    Path dir;

    /** Channel credentials presenting the gateway's client certificate and trusting the node's CA. */
    private static final class MutualTls extends XdsCredentialsProvider {
        private final Path certificate;
        private final Path key;
        private final Path ca;

        MutualTls(Path certificate, Path key, Path ca) {
            this.certificate = certificate;
            this.key = key;
            this.ca = ca;
        }

        @Override
        protected io.grpc.ChannelCredentials newChannelCredentials(Map<String, ?> config) {
            try {
                return io.grpc.TlsChannelCredentials.newBuilder().keyManager(certificate.toFile(), key.toFile())
                        .trustManager(ca.toFile()).build();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        protected String getName() {
            return CREDENTIALS;
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public int priority() {
            return 5;
        }
    }

    private Path write(String name, String pem) throws Exception {
        return Files.writeString(dir.resolve(name), pem);
    }

    @Test
    void grpcXdsClientReceivesClustersAndEndpointsFromKubernetesObjectsOverMutualTls() throws Exception {
        LocalCertificates.Authority ca = LocalCertificates.Authority.create("interop CA");
        Path caFile = write("ca.crt", ca.certificatePem());
        LocalCertificates.Pem server = ca.issue("node", List.of("spiffe://cluster.local/ns/shardgate/sa/shardgate"),
                List.of("localhost"), List.of("127.0.0.1"), true, true);
        LocalCertificates.Pem envoy = ca.issue("envoy", List.of(CertificateAuthority.defaultIdentity("cluster.local",
                "shardgate", "interop")), List.of(), List.of(), false, true);
        MutualTls credentials = new MutualTls(write("envoy.crt", envoy.certificate()), write("envoy.key", envoy.key()), caFile);
        XdsCredentialsRegistry.getDefaultRegistry().register(credentials);
        try (KubeMock kube = KubeMock.start(); RunningNode node = RunningNode.on(kube,
                "--tls-cert=" + write("node.crt", server.certificate()), "--tls-key=" + write("node.key", server.key()),
                "--tls-ca=" + caFile)) {
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
                            "channel_creds", List.of(Map.of("type", CREDENTIALS)),
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
        } finally {
            XdsCredentialsRegistry.getDefaultRegistry().deregister(credentials);
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
        kube.apply(object);
    }
}
