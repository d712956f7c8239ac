package io.shardgate.node.testing;

import io.shardgate.node.source.InputSink;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** An {@link InputSink} that records every call, in order, and lets a test wait for what it expects. */
public final class RecordingSink implements InputSink {
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** One call to the sink. */
    public sealed interface Delivery permits Upserted, Deleted, Synced {}

    public record Upserted(InputObject object) implements Delivery {}

    public record Deleted(ObjectRef ref) implements Delivery {}

    public record Synced() implements Delivery {}

    private final List<Delivery> deliveries = new ArrayList<>();

    @Override
    public synchronized void upsert(InputObject object) {
        record(new Upserted(object));
    }

    @Override
    public synchronized void delete(ObjectRef ref) {
        record(new Deleted(ref));
    }

    @Override
    public synchronized void synced() {
        record(new Synced());
    }

    public synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** Waits until the deliveries so far satisfy the condition; fails the test after {@link #TIMEOUT}. */
    public synchronized List<Delivery> await(String what, Predicate<List<Delivery>> condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.test(deliveries)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError("timed out waiting for " + what + "; deliveries: " + deliveries);
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
        return List.copyOf(deliveries);
    }

    /** Waits until at least {@code count} deliveries were made; returns them all. */
    public List<Delivery> awaitCount(int count) {
        return await(count + " deliveries", d -> d.size() >= count);
    }

    /** Waits for the next delivery after the first {@code seen}, and returns it. */
    public Delivery next(int seen) {
        return awaitCount(seen + 1).get(seen);
    }

    private void record(Delivery delivery) {
        deliveries.add(delivery);
        notifyAll();
    }
}
