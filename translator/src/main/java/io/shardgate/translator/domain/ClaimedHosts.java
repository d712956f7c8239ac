package io.shardgate.translator.domain;

import java.util.List;

/**
 * What a host claim claims: the Shardgate gateway it belongs to, and its hosts there (normalised, sorted, bounded by
 * {@link io.shardgate.translator.InputLimits}).
 */
public record ClaimedHosts(String gateway, List<String> hosts) {
    public ClaimedHosts {
        hosts = List.copyOf(hosts);
    }
}
