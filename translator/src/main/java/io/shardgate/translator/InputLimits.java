package io.shardgate.translator;

/**
 * How much of one claim (an Ingress, an HTTPRoute) the translator reads. Far above what a hand-written or
 * generated object needs, low enough that no single object can make translation slow for everyone (work per
 * domain grows with the paths and hosts of the objects claiming it). What is beyond a limit is left out and
 * reported ({@link Reasons#INPUT_TOO_LARGE}); the rest of the object is served.
 */
public final class InputLimits {
    /**
     * Hosts one object may claim (an Ingress's rules and TLS entries together; an HTTPRoute's hostnames on its
     * listeners), distinct; the first in sorted order are kept.
     */
    public static final int MAX_HOSTS_PER_CLAIM = 1_000;
    /** Paths one Ingress may route, over all its rules; path matches of one HTTPRoute, over all its rules. */
    public static final int MAX_PATHS_PER_CLAIM = 1_000;
    /** Characters of one path (Envoy's default limit on request headers is 60 KiB; nginx's on a request line 8 KiB). */
    public static final int MAX_PATH_LENGTH = 4_096;
    /** Characters of one annotation value Shardgate reads. */
    public static final int MAX_ANNOTATION_LENGTH = 4_096;
    /**
     * Labels after the {@code *.} of a wildcard host. Keeping a wildcard to one label takes a regex whose RE2
     * program grows with them (about 10 + 3 per label) and Envoy refuses programs over 100 instructions.
     */
    public static final int MAX_WILDCARD_SUFFIX_LABELS = 16;

    private InputLimits() {}
}
