package io.shardgate.node.source;

/**
 * What a source skipped, counted (the {@code shardgate_source_skipped_total} metric): a file it could not read, a
 * malformed document or object, an object of a kind or apiVersion Shardgate does not read.
 */
public interface SourceCounters {
    String FILE_UNREADABLE = "file-unreadable";
    String DOCUMENT_MALFORMED = "document-malformed";
    String OBJECT_MALFORMED = "object-malformed";
    String KIND_IGNORED = "kind-ignored";

    /** Every reason, so a metric can be exported at zero from the start. */
    java.util.List<String> REASONS = java.util.List.of(FILE_UNREADABLE, DOCUMENT_MALFORMED, OBJECT_MALFORMED, KIND_IGNORED);

    SourceCounters NONE = reason -> {};

    void skipped(String reason);
}
