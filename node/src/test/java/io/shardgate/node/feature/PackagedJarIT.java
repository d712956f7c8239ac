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
                "--cluster-name=jar-it-" + System.nanoTime())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Conditions.awaitDescribed("/readyz of the jar", Duration.ofSeconds(60), () -> status(admin, "/readyz") == 200,
                    () -> tail(log));
            String shards = HTTP.send(request(admin, "/debug/shards"), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(shards).as(tail(log)).contains("\"cluster\":{\"resources\":4", "\"endpoint\":{\"resources\":4", "\"secret\":{\"resources\":1");
            assertThat(Files.readString(log)).doesNotContain("Exception", "ERROR");
        } finally {
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
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
