package io.shardgate.node.config;

import io.shardgate.node.ads.ClientLimits;
import java.time.Duration;

/**
 * What xDS clients may make a node hold, from the {@code --ads-*} flags and {@code --nack-report-interval} (see
 * docs/security.md, "Hostile clients").
 *
 * @param maxRequestBytes the largest ADS request accepted
 * @param ads the per-stream, per-connection and per-node bounds
 * @param nackReportInterval how often one rejected resource of a shard may be reported to its domains
 */
public record ClientBounds(long maxRequestBytes, ClientLimits ads, Duration nackReportInterval) {}
