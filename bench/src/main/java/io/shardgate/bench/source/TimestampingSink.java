package io.shardgate.bench.source;

import io.shardgate.node.source.InputSink;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Passes everything to the node's sink and notes when each object last arrived there (the source event accepted).
 * An arrival is recorded only once the node's sink has it: a waiter woken earlier would read the engine's input
 * position before the change is in it, and wait for nothing (changes reported as changing no store).
 */
final class TimestampingSink implements InputSink {
    private final InputSink delegate;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Map<ObjectRef, Long> seen = new HashMap<>();
    private long firstNanos = -1;

    TimestampingSink(InputSink delegate) {
        this.delegate = delegate;
    }

    @Override
    public void upsert(InputObject object) {
        long now = System.nanoTime();
        delegate.upsert(object);
        stamp(object.ref(), now);
    }

    @Override
    public void delete(ObjectRef ref) {
        long now = System.nanoTime();
        delegate.delete(ref);
        stamp(ref, now);
    }

    @Override
    public void synced() {
        delegate.synced();
    }

    private void stamp(ObjectRef ref, long now) {
        lock.lock();
        try {
            if (firstNanos < 0) firstNanos = now;
            seen.put(ref, now);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the object has arrived since it was last forgotten. */
    boolean arrived(ObjectRef ref) {
        lock.lock();
        try {
            return seen.containsKey(ref);
        } finally {
            lock.unlock();
        }
    }

    /** When the first object of all arrived, or -1. */
    long first() {
        lock.lock();
        try {
            return firstNanos;
        } finally {
            lock.unlock();
        }
    }

    void forget(Collection<ObjectRef> refs) {
        lock.lock();
        try {
            refs.forEach(seen::remove);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every ref has arrived again since {@link #forget}; returns the earliest arrival. */
    long await(Collection<ObjectRef> refs, Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (!seen.keySet().containsAll(refs)) {
                if (left <= 0) throw new IllegalStateException("the node's source did not deliver " + refs + " in time");
                left = arrived.awaitNanos(left);
            }
            return refs.stream().mapToLong(seen::get).min().orElseThrow();
        } finally {
            lock.unlock();
        }
    }
}
