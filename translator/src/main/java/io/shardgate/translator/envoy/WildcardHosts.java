package io.shardgate.translator.envoy;

import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.Optional;

/**
 * Ingress wildcards (unlike Gateway API's) cover exactly one DNS label ({@code *.foo.com} serves {@code bar.foo.com}, not
 * {@code baz.bar.foo.com}); Envoy's wildcard domains and server names match any depth. Each route of a
 * wildcard host therefore also requires the Host header to have exactly one label before the suffix, so a
 * deeper name matches no route and Envoy answers 404. Hosts with more than
 * {@link io.shardgate.translator.InputLimits#MAX_WILDCARD_SUFFIX_LABELS} suffix labels never get here.
 */
final class WildcardHosts {
    private WildcardHosts() {}

    /** Empty unless the host is a wildcard ({@code *.} then a suffix). */
    static Optional<HeaderMatcher> oneLabelMatcher(String host) {
        if (!host.startsWith("*.")) return Optional.empty();
        int labels = suffixLabels(host);
        // The domain match already fixed the suffix; what is left to check is the number of labels (and a port).
        String regex = "[^.]+(?:\\.[^.:]+){" + labels + "}(?::[0-9]+)?";
        return Optional.of(HeaderMatcher.newBuilder()
                .setName(":authority")
                .setStringMatch(StringMatcher.newBuilder().setSafeRegex(RegexMatcher.newBuilder().setRegex(regex)))
                .build());
    }

    private static int suffixLabels(String wildcardHost) {
        return (int) wildcardHost.substring(2).chars().filter(c -> c == '.').count() + 1;
    }
}
