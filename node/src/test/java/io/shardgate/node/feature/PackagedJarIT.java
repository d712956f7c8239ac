package io.shardgate.node.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.node.testing.Conditions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The built jar, run as the README says (its own process, examples/ by default), becomes ready with every
 * example resource translated, and exits cleanly on SIGTERM; a bad flag exits 2 with a message. This is
 * what catches a dependency that tests have on their classpath but the jar lacks.
 */
class PackagedJarIT {
    private static final Path JAR = Path.of(System.getProperty("node.jar", "target/shardgate-node.jar"));
    private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theJarServesTheExamplesAndStopsOnSigterm() throws Exception {
        int admin = freePort();
        Path log = Files.createTempFile("shardgate-jar", ".log");
        Process process = new ProcessBuilder(java(), "-jar", JAR.toString(), "--manifests=" + EXAMPLES,
                "--listen-address=127.0.0.1", "--ads-port=" + freePort(), "--admin-port=" + admin, "--member-port=0",
                "--cluster-name=jar-it-" + System.nanoTime(), "--state-dir=" + log.resolveSibling(log.getFileName() + ".state"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Conditions.awaitDescribed("/readyz of the jar", Duration.ofSeconds(60), () -> status(admin, "/readyz") == 200,
                    () -> tail(log));
            String shards = HTTP.send(request(admin, "/debug/shards"), HttpResponse.BodyHandlers.ofString()).body();
            // The examples' six Services (shop: 3, blog: 1, docs: 2) and their one certificate.
            assertThat(shards).as(tail(log)).contains("\"cluster\":{\"resources\":6", "\"endpoint\":{\"resources\":6", "\"secret\":{\"resources\":1");
            String output = Files.readString(log);
            assertThat(output).doesNotContain("Exception", "ERROR");
            assertThat(output).as("timestamped lines, and no Hazelcast banner or member chatter at info")
                    .containsPattern("(?m)^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d+Z INFO  \\[[^]]+\\] Node - shardgate node up")
                    .doesNotContain("o  o", "Members {", "com.hazelcast");
            assertThat(output).as("a gained shard is logged").contains("shard shardgate/0 is owned here now");
            assertThat(output).as("the default is mTLS with local certificates, and the node says where they are")
                    .containsPattern("ADS uses mTLS with new local certificates in .*shardgate-jar.*\\.log\\.state/tls");
        } finally {
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        }
    }

    @Test
    void versionPrintsTheVersionAndExits() throws Exception {
        Process process = new ProcessBuilder(java(), "-jar", JAR.toString(), "--version").redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(new String(process.getInputStream().readAllBytes())).startsWith("shardgate 0.1.0-SNAPSHOT (Java 17");
    }

    @Test
    void aPortInUseStopsTheStartNamingTheFlagAndThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Process process = new ProcessBuilder(java(), "-jar", JAR.toString(), "--manifests=" + EXAMPLES,
                    "--listen-address=127.0.0.1", "--ads-port=" + taken.getLocalPort(), "--admin-port=0", "--member-port=0",
                    "--cluster-name=jar-bind-" + System.nanoTime()).redirectErrorStream(true).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.exitValue()).as(output).isEqualTo(2);
            assertThat(output).contains("shardgate: --ads-port=" + taken.getLocalPort() + ": cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void aBadFlagExitsAtOnceSayingWhatToFix() throws Exception {
        Process process = new ProcessBuilder(java(), "-jar", JAR.toString(), "--manifests=" + EXAMPLES, "--ads-port=abc").redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(new String(process.getInputStream().readAllBytes()))
                .contains("--ads-port (env SHARDGATE_ADS_PORT) must be a whole number, was 'abc'");
    }

    private static int status(int port, String path) {
        try {
            return HTTP.send(request(port, path), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static HttpRequest request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 3000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
