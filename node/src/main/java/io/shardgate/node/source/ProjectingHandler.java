package io.shardgate.node.source;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one informer's events into projections for the sink. fabric8 calls it on the informer's own
 * serial executor, so the first {@link #onList} comes after every initial add has been delivered: that,
 * not the informer's start future (which may complete before its handlers have run), marks it synced.
 */
final class ProjectingHandler<T extends HasMetadata> implements ResourceEventHandler<T> {
    private static final Logger log = LoggerFactory.getLogger(ProjectingHandler.class);

    private final ObjectRef.Kind kind;
    private final Predicate<T> isRead;
    private final Function<T, ? extends InputObject> projection;
    private final InputSink sink;
    private final Runnable onFirstList;
    private final AtomicBoolean listed = new AtomicBoolean();

    /**
     * @param isRead      false for objects Shardgate does not read (a Secret of another type): neither
     *                    their upserts nor their deletes are delivered
     * @param onFirstList called once, after the initial list has been delivered
     */
    ProjectingHandler(ObjectRef.Kind kind, Predicate<T> isRead, Function<T, ? extends InputObject> projection,
            InputSink sink, Runnable onFirstList) {
        this.kind = kind;
        this.isRead = isRead;
        this.projection = projection;
        this.sink = sink;
        this.onFirstList = onFirstList;
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
        // When deletedFinalStateUnknown, obj is a stub from the informer's store: its kind-specific fields are gone.
        if (!deletedFinalStateUnknown && !isRead.test(obj)) return;
        sink.delete(ObjectRef.of(kind, obj.getMetadata().getNamespace(), obj.getMetadata().getName()));
    }

    @Override
    public void onList(String resourceVersion, boolean remainedEmpty) {
        if (listed.compareAndSet(false, true)) onFirstList.run();
    }

    private void upsert(T obj) {
        if (ResourceVersionStore.isStub(obj) || !isRead.test(obj)) return;
        InputObject projected;
        try {
            projected = projection.apply(obj);
        } catch (IllegalArgumentException e) {
            // Only a mock or hand-made object gets past API validation malformed; the last good projection stays.
            log.warn("Ignoring malformed {}: {}", kind, e.getMessage());
            return;
        }
        sink.upsert(projected);
    }
}
