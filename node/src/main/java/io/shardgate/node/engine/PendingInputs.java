package io.shardgate.node.engine;

import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;

/**
 * The inputs received and not yet applied: the latest per object (a later upsert or delete replaces an earlier
 * one), taken in the order the objects became pending. Taking costs the number of objects pending, never the size
 * the map once grew to: a ConcurrentHashMap keeps the table of its largest moment (a cold start's every object),
 * so iterating it on each drain would cost that table on every later change.
 *
 * <p>Any thread puts; one thread takes. A put is in the queue before its call returns, so a drain that starts after
 * a call returned applies it.
 */
final class PendingInputs {
    private final ConcurrentHashMap<ObjectRef, Optional<InputObject>> latest = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<ObjectRef> order = new ConcurrentLinkedQueue<>();

    /** @param change the object, or empty when it was deleted */
    void put(ObjectRef ref, Optional<InputObject> change) {
        if (latest.put(ref, change) == null) order.add(ref);
    }

    /** Hands every pending change to {@code apply}, until none is left (those put meanwhile included). */
    void take(BiConsumer<ObjectRef, Optional<InputObject>> apply) {
        for (ObjectRef ref; (ref = order.poll()) != null; ) {
            Optional<InputObject> change = latest.remove(ref);
            if (change != null) apply.accept(ref, change);
        }
    }
}
