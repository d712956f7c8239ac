package io.shardgate.translator.model;

/** A path rewrite applied when forwarding. */
public sealed interface Rewrite {

    /** Replaces the matched prefix (or exact path) with {@code replacement}. */
    record Prefix(String replacement) implements Rewrite {}

    /** Replaces the whole path (not the query) with {@code path}. */
    record FullPath(String path) implements Rewrite {}

    /** Replaces what {@code pattern} (RE2) matches with {@code substitution} (\1 style group references). */
    record Regex(String pattern, String substitution) implements Rewrite {}
}
