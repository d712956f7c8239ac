package io.shardgate.node.testing;

import io.shardgate.node.source.InputSink;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;
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
    /** The furthest position told for each stream (watermarks are not deliveries: they are kept apart). */
    private final Map<String, Long> watermarks = new TreeMap<>();

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

    @Override
    public synchronized void watermark(String stream, long position) {
        watermarks.merge(stream, position, Math::max);
        notifyAll();
    }

    public synchronized Map<String, Long> watermarks() {
        return Map.copyOf(watermarks);
    }

    /** Waits until {@code stream}'s watermark satisfies the condition; returns it. */
    public synchronized long awaitWatermark(String stream, LongPredicate condition) {
        awaitState(stream + "'s watermark", () -> condition.test(watermarks.getOrDefault(stream, 0L)));
        return watermarks.getOrDefault(stream, 0L);
    }

    public synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** Waits until the deliveries so far satisfy the condition; fails the test after {@link #TIMEOUT}. */
    public synchronized List<Delivery> await(String what, Predicate<List<Delivery>> condition) {
        awaitState(what, () -> condition.test(deliveries));
        return List.copyOf(deliveries);
    }

    private void awaitState(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + what + "; deliveries: " + deliveries + "; watermarks: " + watermarks);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
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
