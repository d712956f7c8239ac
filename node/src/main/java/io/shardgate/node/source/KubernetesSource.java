package io.shardgate.node.source;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ManifestDecoder;
import io.shardgate.translator.input.ObjectRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the Kubernetes API with fabric8 informers and delivers projections to the sink: Ingresses and
 * IngressClasses (networking.k8s.io/v1), Namespaces (their labels), kubernetes.io/tls Secrets, Services and EndpointSlices
 * (discovery.k8s.io/v1), and Gateway API's GatewayClasses, Gateways, ListenerSets and HTTPRoutes (gateway.networking.k8s.io/v1) and
 * ReferenceGrants (v1beta1,
 * which every release since v1.0 serves).
 * Namespaced kinds are watched in every namespace, or in each configured one.
 *
 * <ul>
 *   <li>Informers keep only key and resourceVersion per object ({@link ResourceVersionStore}): the state
 *       lives once, as projections, behind the sink.</li>
 *   <li>Resync is off: re-delivering unchanged projections is wasted work.</li>
 *   <li>Lists are paged, 500 objects a page: a cold start with 100k Ingresses never holds one huge list
 *       response in memory (the price: the first list is read from etcd, not the API server's cache).</li>
 *   <li>Secrets are listed with the field selector {@code type=kubernetes.io/tls}, so a real API server
 *       sends no other Secret, and filtered again here, because fabric8's mock server ignores that
 *       selector.</li>
 *   <li>A failed list or watch is retried with fabric8's backoff, before the first sync too: a node started
 *       while the API server is unreachable syncs once it is back instead of never.</li>
 * </ul>
 */
public final class KubernetesSource implements Source {
    private static final Logger log = LoggerFactory.getLogger(KubernetesSource.class);
    /** Lists come in pages (as client-go's pager does), so 100k Ingresses are never one response in memory. */
    private static final long LIST_PAGE_SIZE = 500;

    private final KubernetesClient client;
    private final List<String> namespaces;
    /** The namespace label of a watch over every namespace (and of cluster-scoped kinds). */
    private static final String ALL_NAMESPACES = "*";
    private final SourceCounters counters;
    private final List<Watch<?>> watches = new ArrayList<>();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private InputSink sink;
    private volatile boolean closed;

    /** Watches every namespace. */
    public KubernetesSource(KubernetesClient client) {
        this(client, List.of());
    }

    /** @param namespaces the namespaces to watch; empty means all */
    public KubernetesSource(KubernetesClient client, List<String> namespaces) {
        this(client, namespaces, SourceCounters.NONE);
    }

    public KubernetesSource(KubernetesClient client, List<String> namespaces, SourceCounters counters) {
        this.client = client;
        this.namespaces = List.copyOf(namespaces);
        this.counters = counters;
    }

    @Override
    public synchronized void start(InputSink sink) {
        if (this.sink != null) throw new IllegalStateException("already started");
        this.sink = sink;
        watches.add(new Watch<>(client.network().v1().ingressClasses(), ALL_NAMESPACES, IngressClass::new,
                ObjectRef.Kind.INGRESS_CLASS, any -> true, Fabric8Projection::ingressClass));
        watches.add(new Watch<>(client.namespaces(), ALL_NAMESPACES, Namespace::new, ObjectRef.Kind.NAMESPACE, any -> true,
                Fabric8Projection::namespace));
        scopes(client.network().v1().ingresses()).forEach((namespace, scope) -> watches.add(new Watch<>(scope, namespace,
                Ingress::new, ObjectRef.Kind.INGRESS, any -> true, Fabric8Projection::ingress)));
        scopes(client.secrets()).forEach((namespace, scope) -> watches.add(new Watch<>(
                scope.withField("type", ManifestDecoder.TLS_SECRET_TYPE), namespace, Secret::new, ObjectRef.Kind.SECRET,
                Fabric8Projection::isTlsSecret, secret -> Fabric8Projection.tlsSecret(secret).orElseThrow())));
        scopes(client.services()).forEach((namespace, scope) -> watches.add(new Watch<>(scope, namespace, Service::new,
                ObjectRef.Kind.SERVICE, any -> true, Fabric8Projection::service)));
        scopes(client.discovery().v1().endpointSlices()).forEach((namespace, scope) -> watches.add(new Watch<>(scope,
                namespace, EndpointSlice::new, ObjectRef.Kind.ENDPOINT_SLICE, any -> true, Fabric8Projection::endpointSlice)));
        watches.add(new Watch<>(client.resources(GatewayClass.class), ALL_NAMESPACES, GatewayClass::new,
                ObjectRef.Kind.GATEWAY_CLASS, any -> true, Fabric8Projection::gatewayClass).optional());
        scopes(client.resources(Gateway.class)).forEach((namespace, scope) -> watches.add(new Watch<>(scope, namespace,
                Gateway::new, ObjectRef.Kind.GATEWAY, any -> true, Fabric8Projection::gateway).optional()));
        scopes(client.resources(HTTPRoute.class)).forEach((namespace, scope) -> watches.add(new Watch<>(scope, namespace,
                HTTPRoute::new, ObjectRef.Kind.HTTP_ROUTE, any -> true, Fabric8Projection::httpRoute).optional()));
        scopes(client.resources(ListenerSet.class)).forEach((namespace, scope) -> watches.add(new Watch<>(scope, namespace,
                ListenerSet::new, ObjectRef.Kind.LISTENER_SET, any -> true, Fabric8Projection::listenerSet).optional()));
        scopes(client.resources(ReferenceGrant.class)).forEach((namespace, scope) -> watches.add(new Watch<>(scope, namespace,
                ReferenceGrant::new, ObjectRef.Kind.REFERENCE_GRANT, any -> true, Fabric8Projection::referenceGrant).optional()));
        launch(false).thenRun(() -> {
            log.info("Kubernetes source synced ({} informers)", watches.size());
            sink.synced();
        });
    }

    /**
     * Lists everything again, with new informers over new, empty stores: their list delivers every object
     * (the engine drops those that did not change), and once listed, every object the old store knew that
     * the list lacks is deleted. Not the old stores: an informer records a change's resourceVersion before
     * its handler runs, and stopping it drops the handler calls still queued, so a re-list over the old store
     * would take such a change as already delivered and lose it. Handlers of the old informers that are still
     * running deliver nothing once the new ones are launched.
     */
    @Override
    public synchronized CompletableFuture<Void> catchUp() {
        if (sink == null || closed) return CompletableFuture.completedFuture(null);
        informers.forEach(SharedIndexInformer::stop);
        informers.clear();
        log.info("Kubernetes source: listing everything again to catch up");
        return launch(true);
    }

    /**
     * Starts one informer per watch. Completes once each has delivered its first list, or, with
     * {@code untilWatching}, once each also watches (nothing after the list can be missed then).
     */
    private CompletableFuture<Void> launch(boolean untilWatching) {
        CompletableFuture<Void> listed = new CompletableFuture<>();
        AtomicInteger unlisted = new AtomicInteger(watches.size());
        Runnable oneListed = () -> {
            if (unlisted.decrementAndGet() == 0) listed.complete(null);
        };
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (Watch<?> watch : watches) {
            SharedIndexInformer<?> informer = watch.nextInformer(sink, oneListed, counters);
            informers.add(informer);
            started.add(informer.start().toCompletableFuture().whenComplete((ignored, error) -> {
                // Closing before an informer's watch is up also completes it exceptionally: not worth an error.
                if (error != null && !closed) log.error("Informer for {} failed and stopped", watch.kind, error);
            }));
        }
        return untilWatching ? CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)) : listed;
    }

    /** The resourceVersion the informers have recorded for an object, or null (for tests). */
    String recordedVersion(ObjectRef ref) {
        for (Watch<?> watch : watches) {
            if (watch.kind != ref.kind()) continue;
            String version = watch.recordedVersion(ref);
            if (version != null) return version;
        }
        return null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        informers.forEach(SharedIndexInformer::stop);
        informers.clear();
    }

    /** What to watch of a kind, by namespace ({@value #ALL_NAMESPACES}: every one): one informer each. */
    private <T extends HasMetadata, L, R extends Resource<T>> Map<String, FilterWatchListDeletable<T, L, R>> scopes(
            MixedOperation<T, L, R> operation) {
        if (namespaces.isEmpty()) return Map.of(ALL_NAMESPACES, operation.inAnyNamespace());
        Map<String, FilterWatchListDeletable<T, L, R>> scopes = new java.util.LinkedHashMap<>();
        for (String namespace : namespaces) scopes.put(namespace, operation.inNamespace(namespace));
        return scopes;
    }

    /**
     * One kind (in one scope) to watch: what it lists and how its objects are projected, and the informer of
     * the moment with its store. Each launch gets a new store and a new generation; only the handler of the
     * current generation delivers.
     */
    private static final class Watch<T extends HasMetadata> {
        private final FilterWatchListDeletable<T, ?, ?> scope;
        private final Supplier<T> stub;
        final ObjectRef.Kind kind;
        /** The input stream this watch delivers, for watermarks: {@code KIND@namespace}. */
        private final String stream;
        private final Predicate<T> isRead;
        private final Function<T, ? extends InputObject> projection;
        private final Object deliveryLock = new Object();
        /** The kind's API may be missing (CRDs not installed) or forbidden: that must not keep the source from syncing. */
        private boolean optional;
        /** Written under deliveryLock; read without it (a handler stuck in the sink may hold the lock). */
        private volatile ResourceVersionStore<T> store;
        private long generation;

        Watch(FilterWatchListDeletable<T, ?, ?> scope, String namespace, Supplier<T> stub, ObjectRef.Kind kind,
              Predicate<T> isRead, Function<T, ? extends InputObject> projection) {
            this.scope = scope;
            this.stream = kind + "@" + namespace;
            this.stub = stub;
            this.kind = kind;
            this.isRead = isRead;
            this.projection = projection;
        }

        /**
         * Marks the kind optional: while its API answers 404 (not installed) or 403 (not allowed), it counts as listed
         * with nothing, and its informer keeps retrying, so it is read once the API is there.
         */
        Watch<T> optional() {
            this.optional = true;
            return this;
        }

        /** A configured informer, not yet started, over a new store; from now on only its handler delivers. */
        SharedIndexInformer<T> nextInformer(InputSink sink, Runnable onSynced, SourceCounters counters) {
            ProjectingHandler<T> handler;
            ResourceVersionStore<T> fresh = new ResourceVersionStore<>(stub);
            synchronized (deliveryLock) {
                Set<String> known = store == null ? Set.of() : store.keysNotSeenDeleted();
                store = fresh;
                long mine = ++generation;
                handler = new ProjectingHandler<>(kind, stream, isRead, projection, sink, counters, onSynced, deliveryLock,
                        () -> generation == mine, known, fresh);
            }
            ProjectingHandler<T> delivering = handler;
            return scope.withLimit(LIST_PAGE_SIZE).runnableInformer(0)
                    .itemStore(fresh)
                    .removeNamespaceIndex()
                    .exceptionHandler((started, error) -> {
                        int code = optional ? absentOrForbidden(error) : 0;
                        if (code != 0) {
                            delivering.unavailable(code == 404
                                    ? "the API server does not serve it (404): are the Gateway API CRDs installed?"
                                    : "forbidden (403): does the node's RBAC allow listing and watching it?");
                            return true;
                        }
                        return !(error instanceof WatcherException);
                    })
                    .addEventHandler(handler);
        }

        /** 404 or 403 when that is why the call failed, else 0. */
        private static int absentOrForbidden(Throwable error) {
            for (Throwable e = error; e != null; e = e.getCause()) {
                if (e instanceof KubernetesClientException k && (k.getCode() == 404 || k.getCode() == 403)) return k.getCode();
            }
            return 0;
        }

        String recordedVersion(ObjectRef ref) {
            ResourceVersionStore<T> current = store;
            T found = current == null ? null : current.get(ProjectingHandler.key(ref));
            return found == null ? null : found.getMetadata().getResourceVersion();
        }
    }
}
