package io.shardgate.translator.gatewayapi;

import io.shardgate.translator.Echo;
import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.kube.Hosts;
import io.shardgate.translator.kube.PathSyntax;
import io.shardgate.translator.model.PathMatch;
import io.shardgate.translator.model.Rewrite;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A rule's RequestRedirect and URLRewrite, checked so that Envoy never refuses them: at most one of each and not
 * both, a scheme of http or https, precise hostnames, ports in range, the redirect codes Envoy has, and absolute
 * paths. How a path modifier applies depends on each match: {@link #pathFor}.
 */
final class UrlFilters {
    static final String REDIRECT = "RequestRedirect";
    static final String REWRITE = "URLRewrite";
    private static final Set<Integer> REDIRECT_CODES = Set.of(301, 302, 303, 307, 308);
    private static final int MAX_PATH_LENGTH = 1024;

    sealed interface Checked {
        /** At most one of the two is present. */
        record Ok(Optional<HttpRouteInput.Redirect> redirect, Optional<HttpRouteInput.UrlRewrite> rewrite) implements Checked {}

        record Invalid(String why) implements Checked {}
    }

    /** How a rule's path modifier applies to one of its matches. */
    sealed interface PathChange {
        record Ok(Optional<Rewrite> rewrite) implements PathChange {}

        record Invalid(String why) implements PathChange {}
    }

    private UrlFilters() {}

    static boolean isUrlFilter(String type) {
        return type.equals(REDIRECT) || type.equals(REWRITE);
    }

    /** @param filters RequestRedirect and URLRewrite filters only */
    static Checked check(List<HttpRouteInput.Filter> filters) {
        Set<String> seen = new HashSet<>();
        HttpRouteInput.Redirect redirect = null;
        HttpRouteInput.UrlRewrite rewrite = null;
        for (HttpRouteInput.Filter filter : filters) {
            if (!seen.add(filter.type())) return new Checked.Invalid(filter.type() + " is given more than once");
            if (filter.type().equals(REDIRECT)) redirect = filter.redirect(); else rewrite = filter.urlRewrite();
            if (filter.redirect() == null && filter.urlRewrite() == null) return new Checked.Invalid(filter.type() + " has no settings");
        }
        if (redirect != null && rewrite != null) return new Checked.Invalid("RequestRedirect and URLRewrite cannot both be given");
        Optional<String> why = redirect != null ? problem(redirect) : rewrite != null ? problem(rewrite) : Optional.empty();
        if (why.isPresent()) return new Checked.Invalid(why.get());
        return new Checked.Ok(Optional.ofNullable(redirect), Optional.ofNullable(rewrite));
    }

    private static Optional<String> problem(HttpRouteInput.Redirect redirect) {
        if (redirect.scheme() != null && !redirect.scheme().equals("http") && !redirect.scheme().equals("https")) {
            return Optional.of("RequestRedirect.scheme " + Echo.quote(redirect.scheme()) + " is neither http nor https");
        }
        if (redirect.port() != null && (redirect.port() < 1 || redirect.port() > 65_535)) {
            return Optional.of("RequestRedirect.port " + redirect.port() + " is not a port number");
        }
        if (redirect.statusCode() != null && !REDIRECT_CODES.contains(redirect.statusCode())) {
            return Optional.of("RequestRedirect.statusCode " + redirect.statusCode() + " is not one of 301, 302, 303, 307, 308");
        }
        return hostnameProblem(REDIRECT, redirect.hostname()).or(() -> pathProblem(REDIRECT, redirect.path()));
    }

    private static Optional<String> problem(HttpRouteInput.UrlRewrite rewrite) {
        return hostnameProblem(REWRITE, rewrite.hostname()).or(() -> pathProblem(REWRITE, rewrite.path()));
    }

    private static Optional<String> hostnameProblem(String type, String hostname) {
        if (hostname == null || (Hosts.isValid(hostname) && !hostname.startsWith("*"))) return Optional.empty();
        return Optional.of(type + ".hostname " + Echo.quote(hostname) + " is not a precise DNS hostname");
    }

    private static Optional<String> pathProblem(String type, HttpRouteInput.PathModifier path) {
        if (path == null) return Optional.empty();
        String value = switch (path.type()) {
            case "ReplaceFullPath" -> path.replaceFullPath();
            case "ReplacePrefixMatch" -> path.replacePrefixMatch();
            default -> null;
        };
        if (!path.type().equals("ReplaceFullPath") && !path.type().equals("ReplacePrefixMatch")) {
            return Optional.of(type + ".path.type " + Echo.quote(path.type()) + " is neither ReplaceFullPath nor ReplacePrefixMatch");
        }
        if (value == null) return Optional.of(type + ".path of type " + path.type() + " gives no path");
        if (value.length() > MAX_PATH_LENGTH || !PathSyntax.isAbsolutePath(value)) {
            return Optional.of(type + ".path " + Echo.quote(value) + " is not an absolute path of at most " + MAX_PATH_LENGTH
                    + " characters");
        }
        return Optional.empty();
    }

    /**
     * The rewrite a checked path modifier (null: none) makes for one match. ReplacePrefixMatch replaces the matched
     * prefix, which only a PathPrefix match has. Replacing {@code /foo} with {@code /} turns {@code /foo/bar} into
     * {@code /bar}, not {@code //bar}: a replacement ending in "/" also takes the slashes after the prefix.
     */
    static PathChange pathFor(HttpRouteInput.PathModifier modifier, PathMatch match) {
        if (modifier == null) return new PathChange.Ok(Optional.empty());
        if (modifier.type().equals("ReplaceFullPath")) return new PathChange.Ok(Optional.of(new Rewrite.FullPath(modifier.replaceFullPath())));
        if (match.kind() != PathMatch.Kind.PREFIX) {
            return new PathChange.Invalid("ReplacePrefixMatch needs a PathPrefix match, and match " + match + " is not one");
        }
        String replacement = modifier.replacePrefixMatch();
        if (!replacement.endsWith("/") || match.value().equals("/")) return new PathChange.Ok(Optional.of(new Rewrite.Prefix(replacement)));
        return new PathChange.Ok(Optional.of(new Rewrite.Regex("^" + literal(match.value()) + "/*", replacement)));
    }

    /** An absolute path as an RE2 literal: every character but letters, digits and "/" escaped (RE2 allows \ before any punctuation). */
    private static String literal(String path) {
        StringBuilder out = new StringBuilder(path.length() * 2);
        for (char c : path.toCharArray()) {
            if (!Character.isLetterOrDigit(c) && c != '/') out.append('\\');
            out.append(c);
        }
        return out.toString();
    }
}
