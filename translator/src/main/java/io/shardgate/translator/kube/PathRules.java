package io.shardgate.translator.kube;

import com.google.re2j.PatternSyntaxException;
import io.shardgate.translator.Echo;
import io.shardgate.translator.InputLimits;
import io.shardgate.translator.model.PathMatch;
import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * Kubernetes path semantics: checking a path and its pathType, turning it into a {@link PathMatch}, and
 * the precedence between matches.
 */
public final class PathRules {
    public static final String EXACT = "Exact";
    public static final String PREFIX = "Prefix";
    public static final String IMPLEMENTATION_SPECIFIC = "ImplementationSpecific";

    /** Segments Envoy's path normalisation removes before matching, so a route holding them never matches. */
    private static final Pattern UNNORMALISED = Pattern.compile("//|/\\./|/\\.\\./|/\\.{1,2}$|%2[fF]");
    /**
     * Envoy refuses regexes whose RE2 program exceeds 100 instructions. The program size cannot be
     * computed here, so keep regexes short and repetition counts small: conservative, never a NACK.
     */
    private static final int MAX_REGEX_LENGTH = 80;
    private static final Pattern LARGE_REPETITION = Pattern.compile("\\{\\s*(\\d{2,}|[0-9]\\s*,\\s*\\d{2,})");

    /**
     * Match order: longer paths first; at equal length Exact before Prefix (the Kubernetes spec), regexes
     * last; then by text, so the order is total and every node emits the same.
     */
    public static final Comparator<PathMatch> PRECEDENCE = Comparator
            .comparingInt((PathMatch m) -> -m.value().length())
            .thenComparing(PathMatch::kind)
            .thenComparing(PathMatch::value);

    /** A path, or the reason it is unusable. */
    public sealed interface Checked {
        record Ok(PathMatch match) implements Checked {}

        record Invalid(String why) implements Checked {}
    }

    private PathRules() {}

    /** @param regexPaths the Ingress asked for nginx regex locations (use-regex or a rewrite with groups) */
    public static Checked check(String path, String pathType, boolean regexPaths) {
        if (pathType == null) return invalid("pathType is required (Exact, Prefix or ImplementationSpecific)");
        if (!pathType.equals(EXACT) && !pathType.equals(PREFIX) && !pathType.equals(IMPLEMENTATION_SPECIFIC)) {
            return invalid("unknown pathType " + Echo.quote(pathType) + " (Exact, Prefix or ImplementationSpecific)");
        }
        String p = path == null || path.isEmpty() ? (pathType.equals(IMPLEMENTATION_SPECIFIC) ? "/" : null) : path;
        if (p == null) return invalid("path is required for pathType " + pathType);
        if (!p.startsWith("/")) return invalid("path " + Echo.quote(p) + " must start with /");
        if (p.length() > InputLimits.MAX_PATH_LENGTH) {
            return invalid("path " + Echo.quote(p) + " is longer than " + InputLimits.MAX_PATH_LENGTH + " characters");
        }
        return regexPaths ? regex(p, pathType) : literal(p, pathType);
    }

    private static Checked literal(String path, String pathType) {
        if (!PathSyntax.isAbsolutePath(path)) {
            return invalid("path " + Echo.quote(path) + " has characters outside RFC 3986 (use use-regex for regexes)");
        }
        if (UNNORMALISED.matcher(path).find()) {
            return invalid("path " + Echo.quote(path) + " has //, /./, /../ or %2F, which Envoy normalises away before matching");
        }
        if (pathType.equals(EXACT)) return new Checked.Ok(PathMatch.exact(path));
        // Prefix matching is element-wise and ignores a trailing slash: /foo/ and /foo are the same prefix.
        String prefix = path.length() > 1 && path.endsWith("/") ? path.replaceAll("/+$", "") : path;
        return new Checked.Ok(PathMatch.prefix(prefix.isEmpty() ? "/" : prefix));
    }

    /** nginx regex locations: case-insensitive, anchored at the start only (Envoy matches the whole path). */
    private static Checked regex(String path, String pathType) {
        if (path.length() > MAX_REGEX_LENGTH || LARGE_REPETITION.matcher(path).find()) {
            return invalid("regex path " + Echo.quote(path) + " is too complex for Envoy's RE2 program size limit (keep it under "
                    + MAX_REGEX_LENGTH + " characters, repetition counts under 10)");
        }
        if (path.chars().anyMatch(c -> c < 0x21 || c > 0x7E)) {
            return invalid("regex path " + Echo.quote(path) + " has whitespace or non-ASCII characters");
        }
        try {
            com.google.re2j.Pattern.compile(path);
        } catch (PatternSyntaxException e) {
            return invalid("regex path " + Echo.quote(path) + " is not valid RE2: " + e.getDescription());
        }
        String anchored = pathType.equals(EXACT) ? path : path + ".*";
        return new Checked.Ok(PathMatch.regex("(?i)" + anchored));
    }

    /** Capture groups of a regex path as written by the user (for checking $n references). */
    public static int groupCount(String userRegex) {
        return com.google.re2j.Pattern.compile(userRegex).groupCount();
    }

    private static Checked invalid(String why) {
        return new Checked.Invalid(why);
    }
}
