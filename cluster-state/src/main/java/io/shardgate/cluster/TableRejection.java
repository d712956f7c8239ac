package io.shardgate.cluster;

import java.util.Locale;

/** Why a value found where the shard table belongs is not used as the table (the metric's label). */
public enum TableRejection {
    NOT_TEXT("not text (or an object this node refused to deserialise): not written by a Shardgate node"),
    UNSIGNED("text without a signature: not written by a Shardgate node"),
    FORGED("a signature that does not verify: written without this cluster's key (a rogue, or a node with another key)"),
    OTHER_FORMAT("signed with the cluster key in a format this version does not read (a node of another version)"),
    STALE("a table older than the one this node holds: an old table written back"),
    DELETED("the table deleted by something other than the writer");

    private final String meaning;

    TableRejection(String meaning) {
        this.meaning = meaning;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What such a value is, for the log. */
    public String meaning() {
        return meaning;
    }
}
