package io.shardgate.node.source;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one informer's events into projections for the sink. fabric8 calls it on the informer's own
 * serial executor, so the first {@link #onList} comes after every initial add has been delivered: that,
 * not the informer's start future (which may complete before its handlers have run), marks it synced.
 *
 * <p>An informer that replaces another (catching up) starts over an empty store: after its first list it
 * deletes what the old store knew and the list lacks. A handler delivers only while its informer is the
 * current one ({@code current}, checked under {@code deliveryLock} together with the delivery), so a
 * stopped informer's handler still running cannot deliver an older version after the new list.
 */
final class ProjectingHandler<T extends HasMetadata> implements ResourceEventHandler<T> {
    private static final Logger log = LoggerFactory.getLogger(ProjectingHandler.class);

    private final ObjectRef.Kind kind;
    private final String stream;
    private final Predicate<T> isRead;
    private final Function<T, ? extends InputObject> projection;
    private final InputSink sink;
    private final SourceCounters counters;
    private final Runnable onFirstList;
    private final Object deliveryLock;
    private final BooleanSupplier current;
    private final Set<String> knownBefore;
    private final ResourceVersionStore<T> store;
    private final AtomicBoolean firstListDone = new AtomicBoolean();

    /**
     * @param stream      the input stream this informer is, for watermarks ({@code KIND@namespace})
     * @param isRead      false for objects Shardgate does not read (a Secret of another type): neither
     *                    their upserts nor their deletes are delivered
     * @param onFirstList called once, after the initial list has been delivered
     * @param knownBefore keys the informer this one replaces may have delivered and not deleted (empty for the first)
     * @param store       this informer's store
     */
    ProjectingHandler(ObjectRef.Kind kind, String stream, Predicate<T> isRead, Function<T, ? extends InputObject> projection,
            InputSink sink, SourceCounters counters, Runnable onFirstList, Object deliveryLock, BooleanSupplier current, Set<String> knownBefore,
            ResourceVersionStore<T> store) {
        this.kind = kind;
        this.stream = stream;
        this.isRead = isRead;
        this.projection = projection;
        this.sink = sink;
        this.counters = counters;
        this.onFirstList = onFirstList;
        this.deliveryLock = deliveryLock;
        this.current = current;
        this.knownBefore = knownBefore;
        this.store = store;
    }

    /** The informer store key of an object: {@code namespace/name}, or the name of a cluster-scoped one. */
    static String key(ObjectRef ref) {
        return ref.namespace().isEmpty() ? ref.name() : ref.namespace() + "/" + ref.name();
    }

    @Override
    public void onAdd(T obj) {
        upsert(obj);
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
        upsert(newObj);
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        ObjectRef ref = ObjectRef.of(kind, obj.getMetadata().getNamespace(), obj.getMetadata().getName());
        synchronized (deliveryLock) {
            if (!current.getAsBoolean()) return;
            store.removalHandled(key(ref));
            // When deletedFinalStateUnknown, obj is a stub from the informer's store: its kind-specific fields are gone.
            if (deletedFinalStateUnknown || isRead.test(obj)) sink.delete(ref);
            watermark(obj);
        }
    }

    /**
     * The kind cannot be listed: its API is not installed (404) or not allowed (403). Until it can, it counts as
     * listed with nothing, so the source syncs without it; it is said once, and the informer keeps retrying.
     */
    void unavailable(String why) {
        if (!firstListDone.compareAndSet(false, true)) return;
        log.warn("{} cannot be listed, {}; none are read until it can be (retrying)", stream, why);
        onFirstList.run();
    }

    @Override
    public void onList(String resourceVersion, boolean remainedEmpty) {
        boolean first = firstListDone.compareAndSet(false, true);
        synchronized (deliveryLock) {
            if (!current.getAsBoolean()) return;
            if (first) {
                for (String key : knownBefore) {
                    if (store.get(key) == null) sink.delete(refOf(key));
                }
            }
            // Every object of the list and every delete it implies has been delivered: the list's own position is
            // reached (newer than any object in it when the latest changes were deletes).
            watermark(resourceVersion);
        }
        if (first) onFirstList.run();
    }

    private ObjectRef refOf(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? ObjectRef.of(kind, "", key) : ObjectRef.of(kind, key.substring(0, slash), key.substring(slash + 1));
    }

    private void upsert(T obj) {
        if (ResourceVersionStore.isStub(obj) || !isRead.test(obj)) return;
        InputObject projected;
        try {
            projected = projection.apply(obj);
        } catch (IllegalArgumentException e) {
            // Only a mock or hand-made object gets past API validation malformed; the last good projection stays.
            log.warn("Ignoring malformed {}: {}", kind, e.getMessage());
            counters.skipped(SourceCounters.OBJECT_MALFORMED);
            return;
        }
        synchronized (deliveryLock) {
            if (current.getAsBoolean()) {
                sink.upsert(projected);
                watermark(obj);
            }
        }
    }

    /** An API server's resourceVersions are etcd revisions: numbers that grow (a mock's too); others say nothing. */
    private void watermark(T obj) {
        watermark(obj.getMetadata().getResourceVersion());
    }

    private void watermark(String version) {
        if (version == null) return;
        try {
            long position = Long.parseLong(version);
            if (position > 0) sink.watermark(stream, position);
        } catch (NumberFormatException opaque) {
            // not a number: this source has no comparable position
        }
    }
}
