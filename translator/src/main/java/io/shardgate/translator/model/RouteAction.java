package io.shardgate.translator.model;

import io.shardgate.translator.domain.ClusterKey;
import java.time.Duration;
import java.util.Optional;

/** What a matched route does. */
public sealed interface RouteAction {

    /**
     * Proxy to a cluster.
     *
     * @param timeout     the whole-response timeout
     * @param idleTimeout the per-stream inactivity timeout, when an annotation set one
     */
    record Forward(ClusterKey cluster, Optional<Rewrite> rewrite, Duration timeout, Optional<Duration> idleTimeout)
            implements RouteAction {}

    /**
     * Answer without contacting anything: the backend is missing, unsupported or fails closed. Ingress answers 503,
     * as ingress-nginx does; Gateway API answers 500, as its specification says.
     */
    record Unavailable(int status) implements RouteAction {}
}
