package io.shardgate.translator;

/**
 * How much of one Ingress the translator reads. Far above what a hand-written or generated Ingress needs,
 * low enough that no single object can make translation slow for everyone (work per domain grows with the
 * paths and hosts of the Ingresses claiming it). What is beyond a limit is left out and reported
 * ({@link Reasons#INPUT_TOO_LARGE}); the rest of the Ingress is served.
 */
public final class InputLimits {
    /** Hosts one Ingress may claim (rules and TLS entries together, distinct); the first in sorted order are kept. */
    public static final int MAX_HOSTS_PER_INGRESS = 1_000;
    /** Paths one Ingress may route, over all its rules. */
    public static final int MAX_PATHS_PER_INGRESS = 1_000;
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
