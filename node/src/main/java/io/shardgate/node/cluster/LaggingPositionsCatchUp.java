package io.shardgate.node.cluster;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the sources again when a shard moving to this node waits only for this node's positions. A shard moves
 * once its new owner has read every input stream as far as the old owner (docs/sharding.md, make-before-break). An
 * informer's position on a stream where nothing changed is its list's resourceVersion, so a node that listed
 * before the owner did (the older node after a merge, or the successor of a newer node that leaves) can never show
 * it has caught up until something changes in every such stream. A new list does show it: its positions are past
 * the owner's. Lists again only after {@code grace} of waiting (a change is normally delivered in milliseconds),
 * and at most once per {@code interval}. {@link #tick} runs on a timer.
 */
public final class LaggingPositionsCatchUp {
    private static final Logger log = LoggerFactory.getLogger(LaggingPositionsCatchUp.class);

    private final BooleanSupplier behind;
    private final Supplier<CompletableFuture<Void>> catchUp;
    private final LongSupplier nanoTime;
    private final long grace;
    private final long interval;
    private long behindSince = -1;
    private long lastCatchUp;
    private boolean started;
    private volatile boolean catchingUp;
    private long catchUps;

    /**
     * @param behind  whether a shard moving here waits for this node's positions ({@code ShardTable#behindAnOwnerOfAnIncomingShard})
     * @param catchUp lists the sources again ({@code Source#catchUp})
     */
    public LaggingPositionsCatchUp(BooleanSupplier behind, Supplier<CompletableFuture<Void>> catchUp, LongSupplier nanoTime,
            Duration grace, Duration interval) {
        this.behind = behind;
        this.catchUp = catchUp;
        this.nanoTime = nanoTime;
        this.grace = grace.toNanos();
        this.interval = interval.toNanos();
    }

    public synchronized void tick() {
        long now = nanoTime.getAsLong();
        if (!behind.getAsBoolean()) {
            behindSince = -1;
            return;
        }
        if (behindSince < 0) behindSince = now;
        if (now - behindSince < grace || catchingUp || (started && now - lastCatchUp < interval)) return;
        started = true;
        lastCatchUp = now;
        catchingUp = true;
        catchUps++;
        log.info("a shard moving here waits for this node to read its sources as far as the shard's owner, which listed"
                + " them later with nothing changed since: listing them again");
        catchUp.get().whenComplete((done, error) -> {
            catchingUp = false;
            if (error != null) log.warn("listing the sources again failed; trying again in {} s", interval / 1_000_000_000, error);
        });
    }

    /** How many times the sources were listed again. */
    public synchronized long catchUps() {
        return catchUps;
    }
}
