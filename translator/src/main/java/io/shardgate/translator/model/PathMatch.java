package io.shardgate.translator.model;

/**
 * How a route matches the request path, after Kubernetes' rules were applied.
 *
 * @param value the exact path, the prefix (no trailing slash unless it is "/"), or an RE2 regex matching
 *              the whole path
 */
public record PathMatch(Kind kind, String value) {

    public enum Kind {
        EXACT,
        /** Element-wise prefix: /foo matches /foo and /foo/bar, not /foobar. */
        PREFIX,
        /** nginx-style regex location (use-regex): case-insensitive, anchored at the start. */
        REGEX
    }

    public static PathMatch exact(String path) {
        return new PathMatch(Kind.EXACT, path);
    }

    public static PathMatch prefix(String path) {
        return new PathMatch(Kind.PREFIX, path);
    }

    public static PathMatch regex(String regex) {
        return new PathMatch(Kind.REGEX, regex);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + value;
    }
}
