package io.shardgate.node.ads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardgate.node.testing.Conditions;
import io.shardgate.node.tls.LocalCertificates;
import io.shardgate.node.tls.TlsFiles;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm-up makes full mutual-TLS handshakes with the node's own port, as many as asked, each on a new connection. */
class TlsWarmupTest {
    @TempDir
    Path dir;
    private Vertx vertx;
    private TlsFiles files;
    private final AtomicInteger handshakesWithNodeCertificate = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();

    @BeforeEach
    void certificates() throws Exception {
        vertx = Vertx.vertx();
        LocalCertificates.Authority ca = LocalCertificates.Authority.create("test CA");
        Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
        LocalCertificates.Pem node = ca.issue("node", List.of("spiffe://cluster.local/ns/shardgate/sa/shardgate"),
                List.of("localhost"), List.of("127.0.0.1"), true, true);
        files = new TlsFiles(Files.writeString(dir.resolve("node.crt"), node.certificate()),
                Files.writeString(dir.resolve("node.key"), node.key()), dir.resolve("ca.crt"));
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void makesTheHandshakesAskedForEachWithTheNodeCertificate() throws Exception {
        NetServer server = vertx.createNetServer(new io.vertx.core.net.NetServerOptions(TlsOptions.server(files)))
                .connectHandler(socket -> {
                    connections.incrementAndGet();
                    try {
                        if (!socket.peerCertificates().isEmpty()) handshakesWithNodeCertificate.incrementAndGet();
                    } catch (SSLPeerUnverifiedException noCertificate) {
                        // counted as a connection only
                    }
                });
        int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();

        int made = TlsWarmup.run(vertx, files, "127.0.0.1", port, 3).toCompletionStage().toCompletableFuture()
                .get(60, TimeUnit.SECONDS);

        assertEquals(3, made);
        Conditions.await("the server to count 3 connections", Duration.ofSeconds(10), () -> connections.get() == 3);
        assertEquals(3, handshakesWithNodeCertificate.get(), "handshakes in which the node presented its certificate");
    }

    @Test
    void aPortNotServingTlsEndsTheWarmUpWithoutHanging() throws Exception {
        NetServer plaintext = vertx.createNetServer().connectHandler(socket -> socket.close());
        int port = plaintext.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();

        var outcome = TlsWarmup.run(vertx, files, "127.0.0.1", port, 3).toCompletionStage().toCompletableFuture();

        Conditions.await("the warm-up to end", Duration.ofSeconds(30), outcome::isDone);
        assertTrue(outcome.isCompletedExceptionally(), "a warm-up whose handshake failed reports the failure");
    }
}
