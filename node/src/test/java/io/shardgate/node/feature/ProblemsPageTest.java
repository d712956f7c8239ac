package io.shardgate.node.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.node.Node;
import io.shardgate.node.config.NodeConfigParser;
import io.shardgate.node.testing.Conditions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input you can see: /debug/problems lists what is rejected and why, skipped input is counted. */
class ProblemsPageTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path manifests;

    @Test
    void rejectedObjectsAndUnreadableFilesAreListedAndCounted() throws Exception {
        Files.writeString(manifests.resolve("gateway.yaml"), """
                apiVersion: networking.k8s.io/v1
                kind: IngressClass
                metadata: {name: public}
                spec: {controller: shardgate.io/controller}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop}
                spec:
                  ports: [{name: http, port: 80}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: good, namespace: shop}
                spec:
                  ingressClassName: public
                  rules:
                  - host: good.example.com
                    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: bad, namespace: shop}
                spec:
                  ingressClassName: public
                  rules:
                  - host: bad_host.example.com
                    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
                """);
        Files.writeString(manifests.resolve("broken.yaml"), "kind: [unclosed\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n");
        Node node = Node.start(NodeConfigParser.parse(new String[] {"--manifests=" + manifests, "--listen-address=127.0.0.1",
                "--ads-port=0", "--admin-port=0", "--member-port=0", "--cluster-name=problems-" + System.nanoTime(), "--insecure-ads"}, Map.of()));
        try {
            Conditions.await("/readyz", Duration.ofSeconds(30), () -> status(node, "/readyz") == 200);
            String problems = body(node, "/debug/problems");
            assertThat(problems).contains("\"object\":\"INGRESS shop/bad\"", "\"domain\":\"bad_host.example.com\"",
                    "\"reason\":\"InvalidHost\"", "\"total\":1", "\"broken.yaml\":\"1 malformed document(s)");
            assertThat(problems).doesNotContain("good.example.com");
            String metrics = body(node, "/metrics");
            assertThat(metrics).contains("shardgate_source_skipped_total{reason=\"document-malformed\"} 1.0",
                    "shardgate_source_skipped_total{reason=\"kind-ignored\"} 1.0",
                    "shardgate_source_skipped_total{reason=\"file-unreadable\"} 0.0",
                    "shardgate_shard_domains{gateway=\"public\",shard=\"0\"} 1.0");
        } finally {
            node.close();
        }
    }

    private static int status(Node node, String path) {
        try {
            return HTTP.send(request(node, path), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String body(Node node, String path) throws Exception {
        return HTTP.send(request(node, path), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static HttpRequest request(Node node, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path)).build();
    }
}
