package io.shardgate.node.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.shardgate.node.tls.LocalCertificates;
import io.shardgate.node.config.NodeConfigParser;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ManifestDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The example bootstrap is real Envoy config and matches the default run. */
class EnvoyBootstrapExampleTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));

    @Test
    void exampleBootstrapParsesStrictlyAndPointsAtTheDefaultRun() throws Exception {
        Object yaml = new Yaml().load(Files.readString(EXAMPLES.resolve("envoy").resolve("bootstrap.yaml")));
        String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(yaml);
        Bootstrap.Builder builder = Bootstrap.newBuilder();
        JsonFormat.parser().usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder()
                .add(HttpProtocolOptions.getDescriptor()).add(UpstreamTlsContext.getDescriptor()).build()).merge(json, builder); // unknown fields throw
        Bootstrap bootstrap = builder.build();

        List<String> gateways = new ArrayList<>();
        for (Path file : Files.newDirectoryStream(EXAMPLES, "*.yaml")) {
            for (Object doc : new Yaml().loadAll(Files.readString(file))) {
                if (doc instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    var decoded = ManifestDecoder.decode((Map<String, Object>) m);
                    decoded.filter(o -> o instanceof IngressClassInput c && c.isShardgate())
                            .map(InputObject::ref).ifPresent(r -> gateways.add(r.name()));
                }
            }
        }
        assertThat(gateways).contains(bootstrap.getNode().getCluster());
        assertThat(bootstrap.getNode().getMetadata().getFieldsMap().get("shard").getNumberValue()).isZero();
        assertThat(bootstrap.getDynamicResources().getAdsConfig().getApiType()).isEqualTo(ApiConfigSource.ApiType.DELTA_GRPC);
        assertThat(bootstrap.getDynamicResources().getLdsConfig().hasAds()).isTrue();
        assertThat(bootstrap.getDynamicResources().getCdsConfig().hasAds()).isTrue();
        var xds = bootstrap.getStaticResources().getClusters(0);
        assertThat(bootstrap.getDynamicResources().getAdsConfig().getGrpcServices(0).getEnvoyGrpc().getClusterName())
                .isEqualTo(xds.getName());
        int port = xds.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress()
                .getSocketAddress().getPortValue();
        assertThat(Integer.toString(port)).isEqualTo(NodeConfigParser.Flag.ADS_PORT.defaultValue());
        assertThat(xds.getTypedExtensionProtocolOptionsMap()).containsKey("envoy.extensions.upstreams.http.v3.HttpProtocolOptions");

        // mTLS with the files the default run makes in --state-dir, checking the node's identity.
        var tls = xds.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class).getCommonTlsContext();
        Path dir = Path.of(NodeConfigParser.Flag.STATE_DIR.defaultValue(), "tls");
        assertThat(tls.getTlsCertificates(0).getCertificateChain().getFilename()).isEqualTo(dir.resolve(LocalCertificates.ENVOY_CERT).toString());
        assertThat(tls.getTlsCertificates(0).getPrivateKey().getFilename()).isEqualTo(dir.resolve(LocalCertificates.ENVOY_KEY).toString());
        assertThat(tls.getValidationContext().getTrustedCa().getFilename()).isEqualTo(dir.resolve(LocalCertificates.CA).toString());
        assertThat(tls.getValidationContext().getMatchTypedSubjectAltNames(0).getMatcher().getExact())
                .isEqualTo(new io.shardgate.node.config.AdsTls(false, null, NodeConfigParser.Flag.TRUST_DOMAIN.defaultValue(),
                        NodeConfigParser.Flag.GATEWAY_NAMESPACE.defaultValue(), null).localNodeIdentity());
        assertThat(tls.getAlpnProtocolsList()).containsExactly("h2");
        assertThat(bootstrap.getNode().getCluster()).as("the local Envoy certificate is made for gateway 'shardgate'")
                .isEqualTo("shardgate");
    }
}
