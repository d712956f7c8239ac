package io.shardgate.node.ads;

import io.shardgate.node.tls.TlsFiles;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Certificates that rotate: the node's PEM files are read again when their content changes (cert-manager and the
 * kubelet swap a mounted Secret's files in place), and every server instance and the relay client take them for
 * new handshakes. Established connections keep the certificates they were made with. Files that do not load (a
 * key that does not match its certificate) are refused with an error and the previous ones stay in use.
 */
final class TlsReload {
    private static final Logger log = LoggerFactory.getLogger(TlsReload.class);

    private final Vertx vertx;
    private final TlsFiles files;
    private final HttpClientAgent relays;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private volatile byte[] applied;

    TlsReload(Vertx vertx, TlsFiles files, HttpClientAgent relays) {
        this.vertx = vertx;
        this.files = files;
        this.relays = relays;
        this.applied = digestOrNull();
    }

    void serving(HttpServer server) {
        servers.add(server);
    }

    /** Checks the files every {@code interval}; returns the timer to cancel. */
    long start(Duration interval) {
        return vertx.setPeriodic(interval.toMillis(), id -> vertx.executeBlocking(this::digestOrNull, false)
                .onSuccess(this::applyIfChanged));
    }

    private void applyIfChanged(byte[] now) {
        if (now == null || Arrays.equals(now, applied)) return;
        applied = now;
        var serverOptions = TlsOptions.server(files).getSslOptions();
        for (HttpServer server : servers) {
            server.updateSSLOptions(serverOptions.copy(), true).onFailure(e -> log.error("TLS files {} changed but"
                    + " do not load; ADS keeps the previous ones: {}", files, e.toString()));
        }
        relays.updateSSLOptions(TlsOptions.client(files).getSslOptions(), true).onFailure(e -> log.error(
                "TLS files {} changed but do not load; relays keep the previous ones: {}", files, e.toString()));
        log.info("TLS files {} changed: new ADS and relay handshakes use them", files);
    }

    /** One digest of the three files' bytes; null while one cannot be read (logged). */
    private byte[] digestOrNull() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path file : List.of(files.certificate(), files.key(), files.ca())) {
                sha.update(Files.readAllBytes(file));
                sha.update((byte) 0);
            }
            return sha.digest();
        } catch (IOException e) {
            log.warn("cannot read TLS file: {}; keeping the certificates in use", e.toString());
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
