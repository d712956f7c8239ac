package io.shardgate.node.ads;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether a stream's NACK may be logged now: at most one line per interval, the next one saying how many were
 * left out meanwhile. A client rejecting in a loop then costs the log one line per interval, not one per NACK.
 * Confined to its stream's event loop.
 */
final class NackLog {
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private boolean loggedOnce;
    private long lastLoggedNanos;
    private long leftOut;

    NackLog(Duration interval, LongSupplier nanoClock) {
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    /** -1 if this NACK is not to be logged; otherwise how many were not logged since the last one that was. */
    long admit() {
        long now = nanoClock.getAsLong();
        if (loggedOnce && now - lastLoggedNanos < intervalNanos) {
            leftOut++;
            return -1;
        }
        loggedOnce = true;
        lastLoggedNanos = now;
        long skipped = leftOut;
        leftOut = 0;
        return skipped;
    }
}
