package io.shardgate.node.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node that was paused (SIGSTOP, a stalled VM, a long GC) from serving what it held before the pause.
 * While it was stopped the others declared it dead and took its shards, and its inputs went stale; on waking
 * it would otherwise claim every shard of a cluster of one and send its stale view to clients, lacking domains
 * the others have served since.
 *
 * <p>A pause is a gap between two {@link #tick()}s of at least the failure timeout (the monotonic clock runs on
 * while the process is stopped). The node is then fenced: it owns and serves nothing, so every client stream
 * ends and reconnects (to another node, or back here once released). It is released when both:
 * <ul>
 *   <li>its source has caught up with what changed during the pause ({@link #caughtUp()}), and</li>
 *   <li>its cluster view is settled: it has merged back ({@link #merged()}), or it saw no member leave for
 *       {@code quiet} after waking (it was not cut off after all),</li>
 * </ul>
 * or after {@code limit} in any case (the others are really gone: serving is better than not).
 * Thread-safe; {@link #tick()} runs on a timer.
 */
public final class PauseFence {
    private static final Logger log = LoggerFactory.getLogger(PauseFence.class);

    private final LongSupplier nanoTime;
    private final long pauseThreshold;
    private final long quiet;
    private final long limit;
    private final Runnable startCatchUp;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile long lastTick;
    private volatile boolean started;
    private volatile boolean fenced;
    private long fencedAt;
    private long lastRemoval = Long.MIN_VALUE;
    private boolean memberRemoved;
    private boolean merged;
    private boolean caughtUp;
    private long pauses;

    /**
     * @param pauseThreshold a gap this long between ticks is a pause (the failure timeout: the others have
     *                       dropped this node by then)
     * @param quiet          how long after waking without a member leaving shows this node was not dropped
     * @param limit          the longest a fence lasts
     * @param startCatchUp   asks the source to catch up; it calls {@link #caughtUp()} when done
     */
    public PauseFence(LongSupplier nanoTime, Duration pauseThreshold, Duration quiet, Duration limit,
                      Runnable startCatchUp) {
        this.nanoTime = nanoTime;
        this.pauseThreshold = pauseThreshold.toNanos();
        this.quiet = quiet.toNanos();
        this.limit = limit.toNanos();
        this.startCatchUp = startCatchUp;
    }

    /**
     * True while the node must neither own nor serve any shard: fenced, or paused so long since the last tick that
     * the next one will fence it. On waking, event loops run before the timer ticks; asked on a send path, this
     * keeps them from delivering what was queued before the pause.
     */
    public boolean isFenced() {
        return fenced || (started && nanoTime.getAsLong() - lastTick >= pauseThreshold);
    }

    /** Pauses detected since start. */
    public synchronized long pauses() {
        return pauses;
    }

    /** Calls {@code listener} (on the ticking thread or the caller's) whenever the node is fenced or released. */
    public Runnable onChange(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Called on a timer, much more often than the pause threshold. */
    public void tick() {
        boolean changed;
        boolean catchUp = false;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            // The first tick starts the clock: the time a node takes to start is not a pause.
            long gap = started ? now - lastTick : 0;
            lastTick = now;
            started = true;
            if (gap >= pauseThreshold) {
                catchUp = true;
                changed = !fenced;
                engage(now, gap);
            } else {
                changed = fenced && releasable(now);
                if (changed) fenced = false;
            }
        }
        if (changed) listeners.forEach(Runnable::run);
        if (catchUp) startCatchUp.run();
    }

    /** The source has delivered everything that changed during the pause, and the engine has applied it. */
    public void caughtUp() {
        synchronized (this) {
            caughtUp = true;
        }
        tick();
    }

    /** This member merged back into the cluster that dropped it. */
    public void merged() {
        synchronized (this) {
            merged = true;
        }
        tick();
    }

    /** Another member left this member's view. */
    public synchronized void memberRemoved() {
        lastRemoval = nanoTime.getAsLong();
        if (fenced) memberRemoved = true;
    }

    private void engage(long now, long gap) {
        pauses++;
        fenced = true;
        fencedAt = now;
        // Hazelcast threads woke with this one: a removal may already have been seen before this tick.
        memberRemoved = lastRemoval >= now - gap;
        merged = false;
        caughtUp = false;
        log.warn("this node was paused for {} ms (failure timeout {} ms): the cluster has dropped it and its inputs are"
                        + " stale; it serves nothing until its source has caught up and it is back in the cluster",
                gap / 1_000_000, pauseThreshold / 1_000_000);
    }

    private boolean releasable(long now) {
        if (now - fencedAt >= limit) {
            log.warn("releasing the pause fence after {} ms (caught up: {}, merged: {}): serving what this node has",
                    limit / 1_000_000, caughtUp, merged);
            return true;
        }
        if (!caughtUp) return false;
        boolean settled = merged || (!memberRemoved && now - fencedAt >= quiet);
        if (settled) log.info("pause fence released ({})", merged ? "merged back into the cluster" : "it was not dropped");
        return settled;
    }
}
