package io.shardgate.translator.ingress;

import io.shardgate.translator.Echo;
import io.shardgate.translator.InputLimits;
import io.shardgate.translator.Problem;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.domain.ClusterKey.UpstreamProtocol;
import io.shardgate.translator.input.IngressInput;
import io.shardgate.translator.kube.PathSyntax;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads the nginx.ingress.kubernetes.io/ and shardgate.io/ annotations of one Ingress into
 * {@link RouteOptions}. Bad values become Problems; the feature is left off unless leaving it off would
 * be unsafe, in which case the Ingress's routes fail closed (answer 503).
 */
final class IngressAnnotations {
    static final String NGINX = "nginx.ingress.kubernetes.io/";
    static final String SSL_REDIRECT = NGINX + "ssl-redirect";
    static final String FORCE_SSL_REDIRECT = NGINX + "force-ssl-redirect";
    static final String BACKEND_PROTOCOL = NGINX + "backend-protocol";
    static final String REWRITE_TARGET = NGINX + "rewrite-target";
    static final String USE_REGEX = NGINX + "use-regex";
    static final String CONNECT_TIMEOUT = NGINX + "proxy-connect-timeout";
    static final String READ_TIMEOUT = NGINX + "proxy-read-timeout";
    static final String SEND_TIMEOUT = NGINX + "proxy-send-timeout";

    private static final List<String> SUPPORTED = List.of(
            SSL_REDIRECT, FORCE_SSL_REDIRECT, BACKEND_PROTOCOL, REWRITE_TARGET, USE_REGEX,
            CONNECT_TIMEOUT, READ_TIMEOUT, SEND_TIMEOUT);

    /** Access control Shardgate does not implement: serving the routes without it would expose them. */
    private static final List<String> ACCESS_CONTROL_PREFIXES = List.of(
            NGINX + "auth-", NGINX + "whitelist-source-range", NGINX + "allowlist-source-range",
            NGINX + "denylist-source-range", NGINX + "satisfy");

    private static final Map<String, UpstreamProtocol> PROTOCOLS = Map.of(
            "HTTP", UpstreamProtocol.HTTP,
            "HTTPS", UpstreamProtocol.HTTPS,
            "GRPC", UpstreamProtocol.GRPC,
            "GRPCS", UpstreamProtocol.GRPCS,
            "HTTP2", UpstreamProtocol.HTTP2,
            "H2C", UpstreamProtocol.HTTP2);

    private static final Pattern SECONDS = Pattern.compile("([0-9]{1,7})s?");
    private static final Pattern GROUP_REFERENCE = Pattern.compile("\\$[0-9]");

    private final IngressInput ingress;
    private final String host;
    private final Duration clusterConnectTimeout;
    private final Consumer<Problem> problems;
    private boolean failClosed;

    private IngressAnnotations(IngressInput ingress, String host, Duration clusterConnectTimeout, Consumer<Problem> problems) {
        this.ingress = ingress;
        this.host = host;
        this.clusterConnectTimeout = clusterConnectTimeout;
        this.problems = problems;
    }

    /**
     * @param clusterConnectTimeout the connect timeout every cluster gets (TranslatorConfig)
     * @param problems              receives what is wrong, attributed to the Ingress and the host
     */
    static RouteOptions read(IngressInput ingress, String host, Duration clusterConnectTimeout, Consumer<Problem> problems) {
        return new IngressAnnotations(ingress, host, clusterConnectTimeout, problems).read();
    }

    private RouteOptions read() {
        Map<String, String> a = ingress.annotations();
        reportUnsupported(a);
        Optional<String> rewrite = rewriteTarget(a.get(REWRITE_TARGET));
        boolean regex = bool(USE_REGEX, a.get(USE_REGEX)).orElse(false)
                || rewrite.filter(r -> GROUP_REFERENCE.matcher(r).find()).isPresent();
        Optional<Duration> connect = seconds(CONNECT_TIMEOUT, a.get(CONNECT_TIMEOUT));
        connect.filter(c -> !c.equals(clusterConnectTimeout)).ifPresent(this::reportConnectTimeout);
        return new RouteOptions(
                bool(SSL_REDIRECT, a.get(SSL_REDIRECT)),
                bool(FORCE_SSL_REDIRECT, a.get(FORCE_SSL_REDIRECT)).orElse(false),
                protocol(a.get(BACKEND_PROTOCOL)),
                regex,
                rewrite,
                seconds(READ_TIMEOUT, a.get(READ_TIMEOUT)),
                seconds(SEND_TIMEOUT, a.get(SEND_TIMEOUT)),
                failClosed);
    }

    private void reportUnsupported(Map<String, String> annotations) {
        for (String key : annotations.keySet()) {
            if (SUPPORTED.contains(key)) continue;
            if (ACCESS_CONTROL_PREFIXES.stream().anyMatch(key::startsWith)) {
                failClosed = true;
                report(Reasons.UNSUPPORTED_ANNOTATION, Echo.quote(key) + " (access control) is not supported; the routes of this "
                        + "Ingress answer 503 rather than serve without it");
            } else {
                report(Reasons.UNSUPPORTED_ANNOTATION, Echo.quote(key) + " is not supported and is ignored");
            }
        }
    }

    private Optional<Boolean> bool(String key, String value) {
        if (value == null) return Optional.empty();
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true")) return Optional.of(true);
        if (v.equals("false")) return Optional.of(false);
        report(Reasons.INVALID_ANNOTATION, key + ": expected \"true\" or \"false\", got " + Echo.quote(value) + "; the default applies");
        return Optional.empty();
    }

    private UpstreamProtocol protocol(String value) {
        if (value == null) return UpstreamProtocol.HTTP;
        UpstreamProtocol p = PROTOCOLS.get(value.trim().toUpperCase(Locale.ROOT));
        if (p != null) return p;
        // Falling back to plain HTTP could send traffic meant for TLS in clear text: fail closed instead.
        failClosed = true;
        report(Reasons.INVALID_ANNOTATION, BACKEND_PROTOCOL + ": " + Echo.quote(value) + " is not one of HTTP, HTTPS, GRPC, GRPCS, "
                + "HTTP2, H2C; the routes of this Ingress answer 503");
        return UpstreamProtocol.HTTP;
    }

    private Optional<String> rewriteTarget(String value) {
        if (value == null) return Optional.empty();
        if (value.length() <= InputLimits.MAX_ANNOTATION_LENGTH && PathSyntax.isRewriteTarget(value)) return Optional.of(value);
        // Forwarding unrewritten paths could reach backend paths the author never meant to expose.
        failClosed = true;
        report(Reasons.INVALID_ANNOTATION, REWRITE_TARGET + ": " + Echo.quote(value) + " is not an absolute path of RFC 3986 "
                + "characters (with $1..$9 group references, at most " + InputLimits.MAX_ANNOTATION_LENGTH
                + " characters); the routes of this Ingress answer 503");
        return Optional.empty();
    }

    private Optional<Duration> seconds(String key, String value) {
        if (value == null) return Optional.empty();
        var m = SECONDS.matcher(value.trim());
        if (m.matches() && Long.parseLong(m.group(1)) > 0) return Optional.of(Duration.ofSeconds(Long.parseLong(m.group(1))));
        report(Reasons.INVALID_ANNOTATION, key + ": expected a positive number of seconds, got " + Echo.quote(value) + "; the default applies");
        return Optional.empty();
    }

    private void reportConnectTimeout(Duration connect) {
        report(Reasons.ANNOTATION_NOT_APPLIED, CONNECT_TIMEOUT + ": Envoy sets connect timeouts per cluster and a cluster "
                + "is shared by every route to the same Service port, so the gateway-wide "
                + clusterConnectTimeout.toMillis() + "ms applies (" + connect.toSeconds() + "s requested)");
    }

    private void report(String reason, String message) {
        problems.accept(new Problem(ingress.ref(), host, reason, message));
    }
}
