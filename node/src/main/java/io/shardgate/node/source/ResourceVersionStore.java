package io.shardgate.node.source;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * An informer item store that keeps only each object's key and resourceVersion, never the object.
 *
 * <p>An informer needs its store for three things: telling an add from an update, dropping events whose
 * resourceVersion it has seen, and finding the objects that vanished across a re-list (it then emits a
 * delete for each). Key plus resourceVersion is enough for all three. The full state lives once, as
 * projections, downstream of the sink; fabric8's default store would keep a second, whole copy of every
 * object (Secrets' key material included).
 *
 * <p>Objects read back from here are stubs carrying namespace, name and resourceVersion only. That is why
 * {@link #isFullState()} is false: fabric8 then delivers the initial adds as they are listed, from the
 * listed objects, instead of deferring them and reading them back from this store after the list.
 * fabric8's own {@code ReducedStateItemStore} does the same job, but converts every object to a map
 * through Jackson on each put, which is slower than a cold start of 100k Ingresses should pay.
 */
final class ResourceVersionStore<T extends HasMetadata> implements ItemStore<T> {
    private static final String STUB_MARK = "shardgate.io/stub";

    private final ConcurrentHashMap<String, String> versions = new ConcurrentHashMap<>();
    /**
     * Keys removed here whose delete has not reached the handler yet. The informer updates its store before it
     * queues the handler call, and stopping an informer drops the calls still queued: these are the deletes a
     * replacing informer must still deliver. Small: only deletes in flight.
     */
    private final Set<String> removalsInFlight = ConcurrentHashMap.newKeySet();
    private final Supplier<T> stubFactory;

    /** @param stubFactory makes an empty object of the informer's type, e.g. {@code Ingress::new} */
    ResourceVersionStore(Supplier<T> stubFactory) {
        this.stubFactory = stubFactory;
    }

    /**
     * True for an object read back from a store of this kind. fabric8 hands those to a handler added to an
     * informer whose store is not empty (a re-list after a pause): they carry no content to project.
     */
    static boolean isStub(HasMetadata obj) {
        return obj.getMetadata() != null && Boolean.TRUE.equals(obj.getMetadata().getAdditionalProperties().get(STUB_MARK));
    }

    @Override
    public String getKey(T obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public T put(String key, T obj) {
        return stub(key, versions.put(key, Objects.requireNonNullElse(obj.getMetadata().getResourceVersion(), "")));
    }

    @Override
    public T remove(String key) {
        String removed = versions.remove(key);
        if (removed != null) removalsInFlight.add(key);
        return stub(key, removed);
    }

    /** The handler has seen the delete of this key. */
    void removalHandled(String key) {
        removalsInFlight.remove(key);
    }

    /** Every key the handler may have delivered and not seen deleted: those here, and removals in flight. */
    Set<String> keysNotSeenDeleted() {
        Set<String> keys = new HashSet<>(versions.keySet());
        keys.addAll(removalsInFlight);
        return keys;
    }

    @Override
    public Stream<String> keySet() {
        return versions.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return versions.entrySet().stream().map(e -> stub(e.getKey(), e.getValue()));
    }

    @Override
    public int size() {
        return versions.size();
    }

    @Override
    public T get(String key) {
        return stub(key, versions.get(key));
    }

    @Override
    public boolean isFullState() {
        return false;
    }

    private T stub(String key, String resourceVersion) {
        if (resourceVersion == null) return null;
        ObjectMeta meta = new ObjectMeta();
        int slash = key.indexOf('/');
        if (slash >= 0) {
            meta.setNamespace(key.substring(0, slash));
            meta.setName(key.substring(slash + 1));
        } else {
            meta.setName(key);
        }
        meta.setResourceVersion(resourceVersion);
        meta.setAdditionalProperty(STUB_MARK, Boolean.TRUE);
        T stub = stubFactory.get();
        stub.setMetadata(meta);
        return stub;
    }
}
