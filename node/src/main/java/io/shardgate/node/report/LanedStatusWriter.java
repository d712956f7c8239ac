package io.shardgate.node.report;

import io.shardgate.translator.input.ObjectRef;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Kubernetes status writers share: the latest wish per object, and a few single-threaded daemon lanes
 * that bring objects to their wish off the caller's thread. An object always maps to the same lane, so its
 * requests apply in call order, and each runs against the latest wish. A request that does not change the wish
 * costs nothing. A reconcile that throws counts a failure and forgets the wish, so that the next request for the
 * object tries again.
 *
 * @param <W> the status wanted for an object: a value, with {@code equals}
 */
abstract class LanedStatusWriter<W> implements AutoCloseable {
    private final Logger log = LoggerFactory.getLogger(getClass());
    private final ExecutorService[] lanes;
    private final ConcurrentHashMap<ObjectRef, W> wishes = new ConcurrentHashMap<>();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /** @param name names the lanes' threads: {@code shardgate-<name>-<i>} */
    LanedStatusWriter(String name, int lanes) {
        if (lanes < 1) throw new IllegalArgumentException("at least one lane is required");
        this.lanes = new ExecutorService[lanes];
        for (int i = 0; i < lanes; i++) {
            String thread = "shardgate-" + name + "-" + i;
            this.lanes[i] = Executors.newSingleThreadExecutor(runnable -> {
                Thread daemon = new Thread(runnable, thread);
                daemon.setDaemon(true);
                return daemon;
            });
        }
    }

    /**
     * Brings one object to a wish; runs on the object's lane, once per change of wish.
     *
     * @return whether the status was written (false: it was right already, or there is nothing to write)
     */
    abstract boolean reconcile(ObjectRef ref, W wanted);

    /** Makes {@code wanted} the object's wish and, unless it was already, has its lane bring the object to it. */
    final void request(ObjectRef ref, W wanted) {
        Objects.requireNonNull(wanted);
        if (wanted.equals(wishes.put(ref, wanted))) return;
        try {
            lanes[Math.floorMod(ref.hashCode(), lanes.length)].execute(() -> run(ref));
        } catch (RejectedExecutionException closed) {
            log.debug("Status writer closed; not writing the status of {}", ref);
        }
    }

    /** Forgets the object's wish if it is still {@code wanted} (a newer wish stays, and its run follows). */
    final void forget(ObjectRef ref, W wanted) {
        wishes.remove(ref, wanted);
    }

    /** Another node writes the object's status from now on, or it is gone: forget it, write nothing. */
    public final void released(ObjectRef ref) {
        wishes.remove(ref);
    }

    /** Status patches sent since start (reads that found the status already right are not counted). */
    public final long writes() {
        return writes.get();
    }

    /** Objects whose status could not be read or written (each is tried again on its next request). */
    public final long failures() {
        return failures.get();
    }

    /** Applies the requests already made (waiting up to 10 seconds), then stops. */
    @Override
    public final void close() {
        for (ExecutorService lane : lanes) lane.shutdown();
        try {
            for (ExecutorService lane : lanes) {
                if (!lane.awaitTermination(10, TimeUnit.SECONDS)) log.warn("Status writes left undone at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(ObjectRef ref) {
        W wanted = wishes.get(ref);
        if (wanted == null) return;
        try {
            if (reconcile(ref, wanted)) writes.incrementAndGet();
        } catch (RuntimeException e) {
            wishes.remove(ref, wanted); // so that the next request for it tries again
            failures.incrementAndGet();
            log.warn("Could not write the status of {}: {}", ref, e.toString());
        }
    }
}
