package io.shardgate.translator.model;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Retrying a request the backend failed (Gateway API's rule retry): on connection errors always, and on the given
 * response codes.
 *
 * @param attempts      how many retries at most; empty: Envoy's default (1)
 * @param backoff       the base interval between retries; empty: Envoy's default (25 ms)
 * @param perTryTimeout each try's timeout (the rule's backendRequest timeout); empty: only the route's
 */
public record Retry(List<Integer> codes, Optional<Integer> attempts, Optional<Duration> backoff, Optional<Duration> perTryTimeout) {
    public Retry {
        codes = List.copyOf(codes);
    }
}
