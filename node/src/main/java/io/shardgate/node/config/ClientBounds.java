package io.shardgate.node.config;

import io.shardgate.node.ads.AdsServerOptions;
import io.shardgate.node.ads.ClientLimits;
import java.time.Duration;

/**
 * What xDS clients may make a node hold, from the {@code --ads-*} flags and {@code --nack-report-interval} (see
 * docs/security.md, "Hostile clients").
 *
 * @param maxRequestBytes the largest ADS request accepted
 * @param ads the per-stream, per-connection and per-node bounds
 * @param nackReportInterval how often one rejected resource of a shard may be reported to its domains
 * @param keepAlive HTTP/2 PING interval on every ADS connection, null for none
 * @param keepAliveTimeout how long an unanswered PING may wait before its connection is closed
 * @param maxConnectionAge null for none; otherwise a connection gets GOAWAY after this age (±10%), so clients
 *     spread over nodes added since they connected
 */
public record ClientBounds(long maxRequestBytes, ClientLimits ads, Duration nackReportInterval, Duration keepAlive,
        Duration keepAliveTimeout, Duration maxConnectionAge) {

    /** Grace after a GOAWAY before the connection is closed: time for a stream to finish its response. */
    static final Duration CONNECTION_AGE_GRACE = Duration.ofSeconds(10);
    static final double CONNECTION_AGE_JITTER = 0.1;

    /** {@code base} with the request size, keepalive and connection age these bounds set. */
    public AdsServerOptions applyTo(AdsServerOptions base) {
        AdsServerOptions options = base.withMaxRequestBytes(maxRequestBytes);
        if (keepAlive != null) options = options.withKeepAlive(keepAlive, keepAliveTimeout);
        if (maxConnectionAge != null) {
            options = options.withMaxConnectionAge(maxConnectionAge, CONNECTION_AGE_JITTER, CONNECTION_AGE_GRACE);
        }
        return options;
    }
}
