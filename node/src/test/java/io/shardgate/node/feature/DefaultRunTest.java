package io.shardgate.node.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.node.Node;
import io.shardgate.node.config.NodeConfigParser;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsClientOptions;
import io.shardgate.xdsclient.XdsType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command: a node with no source flags serves examples/ from files over mTLS with the
 * certificates it makes on first start. An Envoy-like client holding the example Envoy certificate gets the example
 * domains, and the admin endpoints answer. The Prometheus text is kept in
 * target/metrics.prom, where .ci/run checks it with promtool.
 */
class DefaultRunTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void servesTheExamplesOverMutualTlsAndAnswersOnTheAdminPort(@TempDir Path state) throws Exception {
        Node node = Node.start(NodeConfigParser.parse(new String[] {"--manifests=" + EXAMPLES, "--listen-address=127.0.0.1",
                "--ads-port=0", "--admin-port=0", "--member-port=0", "--cluster-name=default-run-" + System.nanoTime(),
                "--state-dir=" + state}, Map.of()));
        // The default is mTLS: the node made a CA, its certificate and the example Envoy's in <state-dir>/tls.
        Path tls = state.resolve("tls");
        XdsClientOptions.ClientTls envoyCertificate = new XdsClientOptions.ClientTls(tls.resolve("envoy.crt"),
                tls.resolve("envoy.key"), tls.resolve("ca.crt"));
        // As a load balancer would: Envoys are sent to a node once it is ready.
        io.shardgate.node.testing.Conditions.await("/readyz", Duration.ofSeconds(30), () -> {
            try {
                return get(node, "/readyz") == 200;
            } catch (Exception e) {
                return false;
            }
        });
        try (XdsClient envoy = XdsClient.connect(XdsClientOptions.of("127.0.0.1", node.adsPort(), Mode.DELTA,
                "envoy-example-0", "shardgate", 0).withTls(envoyCertificate))) {
            boolean served = envoy.awaitState(s -> s.resources(XdsType.LISTENER).keySet().equals(Set.of("http", "https"))
                    && s.resources(XdsType.ROUTE).keySet().containsAll(Set.of("http", "https/shop.example.com",
                            "https/*.apps.example.com", "https/docs.apps.example.com"))
                    && s.resources(XdsType.ROUTE).get("http").body().toStringUtf8().contains("docs.apps.example.com")
                    && s.resources(XdsType.SECRET).containsKey("shop/shop-tls"), Duration.ofSeconds(30));
            assertThat(served).as(envoy.describe()).isTrue();

            assertThat(get(node, "/healthz")).isEqualTo(200);
            assertThat(get(node, "/readyz")).isEqualTo(200);
            String metrics = body(node, "/metrics");
            assertThat(metrics).contains("shardgate_ads_connected_clients{protocol=\"delta\"} 1.0",
                    "shardgate_ads_pushes_total{type=\"listener\"}", "shardgate_translation_duration_seconds_bucket",
                    "shardgate_shard_domains{gateway=\"shardgate\",shard=\"0\"}", "shardgate_ready 1.0",
                    "shardgate_shards_owned 1.0", "shardgate_fenced 0.0", "shardgate_ads_insecure 0.0", "shardgate_pauses_total 0.0",
                    "shardgate_secrets{key_material=\"withheld\"} 0.0", "shardgate_cluster_members 1.0",
                    "shardgate_shards_unplaced 0.0", "shardgate_rejected_inputs_total{reason=\"InvalidHost\"} 0.0",
                    "shardgate_rejected_inputs_total{reason=\"EnvoyRejected\"} 0.0", "shardgate_build_info{java=\"" + System.getProperty("java.version")
                            + "\",version=\"0.1.0-SNAPSHOT\"} 1");
            Path prom = Path.of("target", "metrics.prom");
            Files.createDirectories(prom.getParent());
            Files.writeString(prom, metrics);

            assertThat(body(node, "/debug/clients")).contains("envoy-example-0");
            String client = body(node, "/debug/client?node=envoy-example-0");
            assertThat(client).contains("\"gateway\":\"shardgate\"", "\"https/shop.example.com\":\""
                    + envoy.resource(XdsType.ROUTE, "https/shop.example.com").version() + "\"");
            assertThat(body(node, "/debug/client?node=envoy-example-0&type=secret")).contains("shop/shop-tls")
                    .doesNotContain("https/shop.example.com");
            assertThat(get(node, "/debug/client?node=nobody")).isEqualTo(404);
            assertThat(body(node, "/debug/shards")).contains("\"gateway\":\"shardgate\"", "\"ready\":true,\"owned\":true");
        } finally {
            node.close();
        }
    }

    private static int get(Node node, String path) throws Exception {
        return HTTP.send(request(node, path), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String body(Node node, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(request(node, path), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private static HttpRequest request(Node node, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path)).build();
    }
}
