package io.shardgate.translator.model;

import io.shardgate.translator.domain.ClusterKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What a matched route does. */
public sealed interface RouteAction {

    /**
     * Proxy to a cluster.
     *
     * @param timeout     the whole-response timeout
     * @param idleTimeout the per-stream inactivity timeout, when an annotation set one
     */
    record Forward(ClusterKey cluster, Optional<Rewrite> rewrite, Duration timeout, Optional<Duration> idleTimeout,
            Optional<String> hostRewrite) implements RouteAction {

        /** Forwarding with the request's Host. */
        public Forward(ClusterKey cluster, Optional<Rewrite> rewrite, Duration timeout, Optional<Duration> idleTimeout) {
            this(cluster, rewrite, timeout, idleTimeout, Optional.empty());
        }
    }

    /**
     * Split requests between clusters by weight (Gateway API's backendRefs). A share without cluster stands for a
     * backend that cannot be used: the requests it draws are answered 500, as the specification says.
     *
     * @param shares  each with a weight above 0
     * @param timeout the whole-response timeout
     */
    record Split(List<Share> shares, Duration timeout, Optional<Rewrite> rewrite, Optional<String> hostRewrite)
            implements RouteAction {
        public Split {
            shares = List.copyOf(shares);
        }

        /** Splitting without rewriting anything. */
        public Split(List<Share> shares, Duration timeout) {
            this(shares, timeout, Optional.empty(), Optional.empty());
        }

        /** The clusters some share forwards to. */
        public List<ClusterKey> clusters() {
            return shares.stream().flatMap(s -> s.cluster().stream()).toList();
        }
    }

    /**
     * @param cluster  empty: a backend that cannot be used
     * @param request  edits to the requests this share forwards (the backendRef's own filters)
     * @param response edits to their responses
     */
    record Share(Optional<ClusterKey> cluster, int weight, HeaderEdits request, HeaderEdits response) {
        /** A share that edits no header. */
        public Share(Optional<ClusterKey> cluster, int weight) {
            this(cluster, weight, HeaderEdits.NONE, HeaderEdits.NONE);
        }

        public boolean editsHeaders() {
            return !request.equals(HeaderEdits.NONE) || !response.equals(HeaderEdits.NONE);
        }
    }

    /**
     * Answer without contacting anything: the backend is missing, unsupported or fails closed. Ingress answers 503,
     * as ingress-nginx does; Gateway API answers 500, as its specification says.
     */
    record Unavailable(int status) implements RouteAction {}

    /**
     * Answer with a redirect to the request's URL, changed as given (Gateway API's RequestRedirect). Each part left
     * empty is the request's.
     *
     * @param path   the new path, or how the matched prefix is replaced
     * @param status 301, 302, 303, 307 or 308
     */
    record Redirect(Optional<String> scheme, Optional<String> host, Optional<Integer> port, Optional<Rewrite> path, int status)
            implements RouteAction {}
}
