package io.shardgate.node.ads;

import io.shardgate.node.tls.TlsFiles;
import java.time.Duration;

/**
 * How the ADS server listens.
 *
 * @param eventLoops HTTP server instances sharing the port, each on its own event loop (Vert.x spreads
 *     connections over them); a stream lives on the event loop of its connection
 * @param maxRequestBytes the largest request accepted; a larger one ends its stream with RESOURCE_EXHAUSTED, its
 *     bytes skipped, not buffered (a SotW RDS request names every route configuration of a shard: about 4 MB at
 *     100,000 domains; the default, {@value #DEFAULT_MAX_REQUEST_BYTES} bytes, allows twice that)
 * @param maxConnectionAge null for none; otherwise a connection is asked to go away (HTTP/2 GOAWAY) after
 *     this age, varied by {@code ±maxConnectionAgeJitter} (a fraction) so reconnects do not come in waves,
 *     and closed {@code maxConnectionAgeGrace} later
 * @param keepAliveInterval null for none; otherwise every connection is sent an HTTP/2 PING at this interval
 *     and closed if it is not answered within {@code keepAliveTimeout}, so a vanished Envoy (no FIN) does not
 *     hold its stream for the life of a TCP timeout
 * @param tls null for plaintext (--insecure-ads); otherwise TLS with this certificate and key, and client
 *     certificates requested and checked against the CA bundle (the stream then asks {@link ClientAuthority})
 * @param tlsReloadInterval how often the TLS files are checked for new content (cert-manager rotates them in
 *     place); new handshakes, served and relayed, use the new files, established connections keep theirs
 * @param tlsWarmupHandshakes TLS handshakes the server makes with its own port once listening, so the first clients
 *     of a node that just joined are not served by interpreted crypto (0 for none; the node makes
 *     {@value #NODE_TLS_WARMUP_HANDSHAKES})
 */
public record AdsServerOptions(
        String host,
        int port,
        int eventLoops,
        long maxRequestBytes,
        Duration maxConnectionAge,
        double maxConnectionAgeJitter,
        Duration maxConnectionAgeGrace,
        Duration keepAliveInterval,
        Duration keepAliveTimeout,
        TlsFiles tls,
        Duration tlsReloadInterval,
        int tlsWarmupHandshakes) {

    public static final long DEFAULT_MAX_REQUEST_BYTES = 8L << 20;
    /** Enough for a handshake's field arithmetic, run thousands of times per handshake, to be compiled. */
    public static final int NODE_TLS_WARMUP_HANDSHAKES = 20;

    public AdsServerOptions {
        if (eventLoops < 1) throw new IllegalArgumentException("eventLoops must be at least 1");
        if (maxConnectionAgeJitter < 0 || maxConnectionAgeJitter >= 1) {
            throw new IllegalArgumentException("maxConnectionAgeJitter must be in [0, 1)");
        }
        if (tlsWarmupHandshakes < 0) throw new IllegalArgumentException("tlsWarmupHandshakes must not be negative");
    }

    /**
     * All interfaces, one event loop per core, no connection age limit, no keepalive, no TLS warm-up; port 0 picks a
     * free port.
     */
    public static AdsServerOptions onPort(int port) {
        return new AdsServerOptions("0.0.0.0", port, Runtime.getRuntime().availableProcessors(), DEFAULT_MAX_REQUEST_BYTES,
                null, 0.1, Duration.ofSeconds(10), null, Duration.ofSeconds(20), null, Duration.ofSeconds(10), 0);
    }

    public AdsServerOptions withHost(String host) {
        return new AdsServerOptions(host, port, eventLoops, maxRequestBytes, maxConnectionAge, maxConnectionAgeJitter,
                maxConnectionAgeGrace, keepAliveInterval, keepAliveTimeout, tls, tlsReloadInterval, tlsWarmupHandshakes);
    }

    public AdsServerOptions withEventLoops(int eventLoops) {
        return new AdsServerOptions(host, port, eventLoops, maxRequestBytes, maxConnectionAge, maxConnectionAgeJitter,
                maxConnectionAgeGrace, keepAliveInterval, keepAliveTimeout, tls, tlsReloadInterval, tlsWarmupHandshakes);
    }

    public AdsServerOptions withMaxConnectionAge(Duration age, double jitter, Duration grace) {
        return new AdsServerOptions(host, port, eventLoops, maxRequestBytes, age, jitter, grace, keepAliveInterval,
                keepAliveTimeout, tls, tlsReloadInterval, tlsWarmupHandshakes);
    }

    public AdsServerOptions withMaxRequestBytes(long bytes) {
        return new AdsServerOptions(host, port, eventLoops, bytes, maxConnectionAge, maxConnectionAgeJitter,
                maxConnectionAgeGrace, keepAliveInterval, keepAliveTimeout, tls, tlsReloadInterval, tlsWarmupHandshakes);
    }

    public AdsServerOptions withKeepAlive(Duration interval, Duration timeout) {
        return new AdsServerOptions(host, port, eventLoops, maxRequestBytes, maxConnectionAge, maxConnectionAgeJitter,
                maxConnectionAgeGrace, interval, timeout, tls, tlsReloadInterval, tlsWarmupHandshakes);
    }

    public AdsServerOptions withTls(TlsFiles tls) {
        return new AdsServerOptions(host, port, eventLoops, maxRequestBytes, maxConnectionAge, maxConnectionAgeJitter,
                maxConnectionAgeGrace, keepAliveInterval, keepAliveTimeout, tls, tlsReloadInterval, tlsWarmupHandshakes);
    }

    public AdsServerOptions withTlsReloadInterval(Duration interval) {
        return new AdsServerOptions(host, port, eventLoops, maxRequestBytes, maxConnectionAge, maxConnectionAgeJitter,
                maxConnectionAgeGrace, keepAliveInterval, keepAliveTimeout, tls, interval, tlsWarmupHandshakes);
    }

    public AdsServerOptions withTlsWarmup(int handshakes) {
        return new AdsServerOptions(host, port, eventLoops, maxRequestBytes, maxConnectionAge, maxConnectionAgeJitter,
                maxConnectionAgeGrace, keepAliveInterval, keepAliveTimeout, tls, tlsReloadInterval, handshakes);
    }
}
