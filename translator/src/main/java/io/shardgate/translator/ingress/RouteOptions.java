package io.shardgate.translator.ingress;

import io.shardgate.translator.domain.ClusterKey.UpstreamProtocol;
import java.time.Duration;
import java.util.Optional;

/**
 * What one Ingress's annotations ask of its routes, parsed and checked.
 *
 * @param sslRedirect      ssl-redirect as written; empty means "redirect when the host has TLS"
 * @param forceSslRedirect redirect plain HTTP even without TLS on the host
 * @param regexPaths       paths are nginx-style regexes (use-regex, or a rewrite-target with $n groups)
 * @param rewriteTarget    rewrite-target, checked to be a safe path (with $n references in regex mode)
 * @param readTimeout      proxy-read-timeout
 * @param sendTimeout      proxy-send-timeout
 * @param failClosed       the routes must answer 503: an annotation asked for something that would be unsafe
 *                         to ignore (access control, an unknown backend protocol, a broken rewrite)
 */
record RouteOptions(
        Optional<Boolean> sslRedirect,
        boolean forceSslRedirect,
        UpstreamProtocol protocol,
        boolean regexPaths,
        Optional<String> rewriteTarget,
        Optional<Duration> readTimeout,
        Optional<Duration> sendTimeout,
        boolean failClosed) {

    /** Whether plain-HTTP requests to these routes redirect to https, given whether the host has TLS. */
    boolean redirectsHttp(boolean hostHasTls) {
        return forceSslRedirect || (hostHasTls && sslRedirect.orElse(true));
    }

    /** The stream idle timeout: nginx's read and send timeouts both bound inactivity. */
    Optional<Duration> idleTimeout() {
        if (readTimeout.isEmpty()) return sendTimeout;
        if (sendTimeout.isEmpty()) return readTimeout;
        return Optional.of(readTimeout.get().compareTo(sendTimeout.get()) >= 0 ? readTimeout.get() : sendTimeout.get());
    }
}
