package io.shardgate.translator.model;

import io.shardgate.translator.domain.ClusterKey;

/**
 * A copy of the requests a route forwards, sent to another cluster, its answer ignored (Gateway API's RequestMirror).
 *
 * @param perMillion how many requests of a million are copied: 1,000,000 for all
 */
public record Mirror(ClusterKey cluster, int perMillion) {
    public static final int ALL = 1_000_000;

    public Mirror {
        if (perMillion < 0 || perMillion > ALL) throw new IllegalArgumentException("perMillion out of range: " + perMillion);
    }
}
