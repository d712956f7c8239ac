package io.shardgate.node.ads;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.grpc.Status;
import io.shardgate.node.certgen.CertGen;
import io.shardgate.node.certgen.CertGenOptions;
import io.shardgate.node.testing.KubeMock;
import io.shardgate.node.tls.TlsFiles;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsClientOptions;
import io.shardgate.xdsclient.XdsClientOptions.ClientTls;
import io.shardgate.xdsclient.XdsType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The certificates certgen puts in Kubernetes work as mounted: a node serving with its Secret's files and a
 * gateway's Envoy presenting its own, dialling the node Service's DNS name, over real mTLS and gRPC.
 */
class CertGenCertificatesTest {
    private static final String NS = "shardgate";

    @TempDir
    static Path dir;
    private AdsTestBed bed;

    /** certgen runs once against a mock API server; each test serves and connects with what it wrote. */
    @BeforeAll
    static void issue() throws Exception {
        try (KubeMock mock = KubeMock.start();
             KubernetesClient api = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(mock.url())
                .withOauthToken("certgen").build()).build()) {
            CertGenOptions options = CertGenOptions.parse(new String[] {"--namespace=" + NS,
                    "--gateways=" + AdsTestBed.GATEWAY + ",other"}, Map.of());
            new CertGen(api, options, Clock.systemUTC()).run();
            mount(api, CertGen.NODE_SECRET, "node");
            mount(api, CertGen.gatewaySecret(AdsTestBed.GATEWAY), "envoy");
            mount(api, CertGen.gatewaySecret("other"), "other");
        }
    }

    @BeforeEach
    void serve() throws Exception {
        TlsFiles files = new TlsFiles(dir.resolve("node/tls.crt"), dir.resolve("node/tls.key"), dir.resolve("node/ca.crt"));
        bed = new AdsTestBed(ShardRouter.LOCAL, o -> o.withTls(files), ClientLimits.DEFAULTS, new CertificateAuthority(
                "spiffe://cluster.local/ns/" + NS + "/sa/shardgate", "cluster.local", NS, g -> List.of()));
        StandardShard.serve(bed);
    }

    @AfterEach
    void close() throws Exception {
        if (bed != null) bed.close();
    }

    /** The Secret's keys as files in dir/name/, as the kubelet mounts them. */
    private static void mount(KubernetesClient api, String secret, String name) throws Exception {
        Secret s = api.secrets().inNamespace(NS).withName(secret).get();
        Files.createDirectories(dir.resolve(name));
        for (Map.Entry<String, String> e : s.getData().entrySet()) {
            Files.writeString(dir.resolve(name).resolve(e.getKey()),
                    new String(Base64.getDecoder().decode(e.getValue()), StandardCharsets.UTF_8));
        }
    }

    private XdsClient connect(Mode mode, String mounted) {
        ClientTls tls = new ClientTls(dir.resolve(mounted + "/tls.crt"), dir.resolve(mounted + "/tls.key"),
                dir.resolve(mounted + "/ca.crt"), "shardgate." + NS + ".svc");
        return bed.connect(XdsClientOptions.of("127.0.0.1", bed.server.port(), mode, "envoy-0", AdsTestBed.GATEWAY, 0).withTls(tls));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theGatewaysEnvoyGetsItsShardFromTheNodeServiceAndAnotherGatewaysDoesNot(Mode mode) throws Exception {
        XdsClient envoy = connect(mode, "envoy");
        bed.awaitStoreState(envoy);
        assertThat(envoy.resources(XdsType.SECRET)).containsOnlyKeys(StandardShard.CERT_A, StandardShard.CERT_B);

        XdsClient other = connect(mode, "other");
        assertThat(other.terminated().get(20, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(other.resources(XdsType.LISTENER)).isEmpty();
    }
}
