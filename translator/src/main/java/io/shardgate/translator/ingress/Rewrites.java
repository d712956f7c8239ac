package io.shardgate.translator.ingress;

import io.shardgate.translator.model.PathMatch;
import io.shardgate.translator.model.Rewrite;
import io.shardgate.translator.kube.PathRules;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a rewrite-target into the Envoy-shaped rewrite for one path match. */
final class Rewrites {
    private static final Pattern GROUP_REFERENCE = Pattern.compile("\\$([0-9])");

    private Rewrites() {}

    /** The rewrite, or null when the target references a capture group the path does not have. */
    static Rewrite of(PathMatch match, String target) {
        return switch (match.kind()) {
            case EXACT -> new Rewrite.Prefix(target);
            case PREFIX -> prefix(match.value(), target);
            case REGEX -> regex(match.value(), target);
        };
    }

    /**
     * The plain form keeps the rest of the path: /foo with target /v2 sends /foo/x to /v2/x. A target
     * ending in "/" swallows the separator too (/foo/x to /x with target /), which Envoy's prefix_rewrite
     * alone cannot do without producing "//x".
     */
    private static Rewrite prefix(String prefix, String target) {
        if (prefix.equals("/")) return new Rewrite.Prefix(target.endsWith("/") ? target : target + "/");
        if (target.endsWith("/")) return new Rewrite.Regex("^" + quote(prefix) + "/?", target);
        return new Rewrite.Prefix(target);
    }

    /** nginx replaces the whole path with the target, $n standing for the path regex's groups. */
    private static Rewrite regex(String pathRegex, String target) {
        int groups = PathRules.groupCount(pathRegex);
        Matcher m = GROUP_REFERENCE.matcher(target);
        StringBuilder substitution = new StringBuilder();
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) > groups) return null;
            m.appendReplacement(substitution, Matcher.quoteReplacement("\\" + m.group(1)));
        }
        m.appendTail(substitution);
        return new Rewrite.Regex("^" + pathRegex, substitution.toString());
    }

    /** Escapes every RE2 metacharacter a literal path may hold. */
    static String quote(String literal) {
        StringBuilder out = new StringBuilder(literal.length() + 8);
        for (char c : literal.toCharArray()) {
            if (!Character.isLetterOrDigit(c) && c != '/' && c != '-' && c != '_' && c != '~' && c != '%') out.append('\\');
            out.append(c);
        }
        return out.toString();
    }
}
