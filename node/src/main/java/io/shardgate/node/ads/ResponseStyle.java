package io.shardgate.node.ads;

/** How a type's responses describe the client's state, which decides what a change set must carry. */
enum ResponseStyle {
    /** Delta: changed resources plus removed names; a subscribed name that does not exist is reported removed. */
    DELTA(true, true),
    /** SotW LDS/CDS: every response carries the whole set; a resource left out is deleted by the client. */
    FULL_STATE(true, false),
    /** SotW RDS/EDS/SDS: a response carries only changed resources; the client keeps the others, and a deletion cannot be expressed. */
    CHANGED_ONLY(false, false);

    final boolean reportsRemovals;
    final boolean announcesAbsent;

    ResponseStyle(boolean reportsRemovals, boolean announcesAbsent) {
        this.reportsRemovals = reportsRemovals;
        this.announcesAbsent = announcesAbsent;
    }
}
