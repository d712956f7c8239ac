package io.shardgate.node.engine;

import io.shardgate.node.store.ShardStore;
import io.shardgate.translator.Translator;
import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.domain.DomainResult;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.resource.Composite;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The translated state of one shard this node owns: each domain's last result, the two composites its
 * parts go into, and reference counts for the resources domains share (clusters, endpoints, secrets).
 * Applying a domain result touches only what that domain changed; shared resources are translated when
 * their first user appears and removed with their last. Changes accumulate in a batch that
 * {@link #flush} applies to the store in one step. Engine thread only.
 */
final class ShardState {
    private final ShardStore store;
    private final Composite https;
    private final Composite httpRoutes;
    private final Map<String, DomainResult> domains = new HashMap<>();
    private final RefCounts<ClusterKey> clusters = new RefCounts<>();
    /**
     * Service → its endpoints names in use here → the cluster key used to translate each (any protocol
     * variant: endpoints do not depend on it). Keyed by Service so an endpoint change costs that Service only.
     */
    private final Map<ObjectRef, Map<String, ClusterKey>> endpointKeys = new HashMap<>();
    private final RefCounts<String> endpoints = new RefCounts<>();
    private final RefCounts<String> secrets = new RefCounts<>();
    /** The first batch is the shard's whole content: the store may hold what it served when owned before. */
    private ShardStore.Batch batch = ShardStore.Batch.wholeContent();
    private boolean compositesChanged;

    ShardState(ShardStore store, Translator translator) {
        this.store = store;
        this.https = translator.httpsListener();
        this.httpRoutes = translator.httpRouteConfiguration();
        batch.put(translator.httpListener());
        compositesChanged = true;
    }

    ShardStore store() {
        return store;
    }

    int domainCount() {
        return domains.size();
    }

    Set<String> hosts() {
        return domains.keySet();
    }

    boolean usesSecret(String name) {
        return secrets.contains(name);
    }

    /** The Secrets ("namespace/name") this shard serves. */
    Set<String> secretNames() {
        return secrets.keys();
    }

    DomainResult domain(String host) {
        return domains.get(host);
    }

    /**
     * The served domains behind rejected resources: a domain's own route configuration by name; for shared
     * resources (the listeners, the plain-HTTP routes, clusters, endpoints, secrets) the domains that use
     * them and that Envoy's error message names, or every user when it names none. Rare, so a scan is fine.
     */
    List<String> hostsBehind(ResourceType type, Set<String> names, String error) {
        List<String> users = new ArrayList<>();
        for (Map.Entry<String, DomainResult> e : domains.entrySet()) {
            if (e.getValue() instanceof DomainResult.Served s && uses(s, type, names)) users.add(e.getKey());
        }
        List<String> named = users.stream().filter(error::contains).toList();
        List<String> hosts = new ArrayList<>(named.isEmpty() ? users : named);
        hosts.sort(null);
        return hosts;
    }

    private static boolean uses(DomainResult.Served s, ResourceType type, Set<String> names) {
        return switch (type) {
            case LISTENER -> true;
            case ROUTE -> s.httpsRoute().map(r -> names.contains(r.name())).orElse(false) || names.contains("http");
            case CLUSTER -> s.clusters().stream().anyMatch(k -> names.contains(k.clusterName()));
            case ENDPOINT -> s.clusters().stream().anyMatch(k -> names.contains(k.endpointsName()));
            case SECRET -> s.secrets().stream().anyMatch(names::contains);
        };
    }

    /** Replaces a domain's result (null removes the domain). */
    void apply(String host, DomainResult result, ClusterLookup lookup, SecretLookup secretLookup) {
        DomainResult old = result == null ? domains.remove(host) : domains.put(host, result);
        Optional<DomainResult.Served> before = served(old);
        Optional<DomainResult.Served> after = served(result);

        compositesChanged |= after.flatMap(DomainResult.Served::httpsChain).map(https::put)
                .orElseGet(() -> https.remove(host));
        compositesChanged |= after.map(s -> httpRoutes.put(s.httpVirtualHost())).orElseGet(() -> httpRoutes.remove(host));

        Optional<XdsResource> oldRoute = before.flatMap(DomainResult.Served::httpsRoute);
        Optional<XdsResource> newRoute = after.flatMap(DomainResult.Served::httpsRoute);
        newRoute.ifPresent(batch::put);
        oldRoute.filter(r -> newRoute.map(n -> !n.name().equals(r.name())).orElse(true))
                .ifPresent(r -> batch.remove(ResourceType.ROUTE, r.name()));

        SortedSet<ClusterKey> oldClusters = before.map(DomainResult.Served::clusters).orElse(new TreeSet<>());
        SortedSet<ClusterKey> newClusters = after.map(DomainResult.Served::clusters).orElse(new TreeSet<>());
        for (ClusterKey k : newClusters) {
            if (!oldClusters.contains(k)) addCluster(k, lookup);
        }
        for (ClusterKey k : oldClusters) {
            if (!newClusters.contains(k)) removeCluster(k);
        }

        SortedSet<String> oldSecrets = before.map(DomainResult.Served::secrets).orElse(new TreeSet<>());
        SortedSet<String> newSecrets = after.map(DomainResult.Served::secrets).orElse(new TreeSet<>());
        for (String s : newSecrets) {
            if (!oldSecrets.contains(s) && secrets.increment(s)) refreshSecret(s, secretLookup);
        }
        for (String s : oldSecrets) {
            if (!newSecrets.contains(s) && secrets.decrement(s)) batch.remove(ResourceType.SECRET, s);
        }
    }

    /** A Service or its slices changed: rebuild the endpoints this shard serves for it. */
    void refreshEndpoints(ObjectRef service, ClusterLookup lookup) {
        for (ClusterKey k : endpointKeys.getOrDefault(service, Map.of()).values()) batch.put(lookup.loadAssignment(k));
    }

    /** A Secret changed: rebuild its SDS resource if this shard uses it. */
    void refreshSecretIfUsed(ObjectRef secret, SecretLookup lookup) {
        String name = secret.namespace() + "/" + secret.name();
        if (secrets.contains(name)) refreshSecret(name, lookup);
    }

    /** Applies everything accumulated since the last flush to the store, as one batch. */
    void flush() {
        if (compositesChanged) {
            if (https.isEmpty()) {
                batch.remove(ResourceType.LISTENER, https.name());
            } else {
                batch.put(https.resource());
            }
            batch.put(httpRoutes.resource());
            compositesChanged = false;
        }
        if (!batch.isEmpty()) store.apply(batch);
        batch = new ShardStore.Batch();
    }

    private void addCluster(ClusterKey k, ClusterLookup lookup) {
        if (clusters.increment(k)) batch.put(lookup.cluster(k));
        if (endpoints.increment(k.endpointsName())) {
            endpointKeys.computeIfAbsent(serviceOf(k), s -> new HashMap<>()).put(k.endpointsName(), k);
            batch.put(lookup.loadAssignment(k));
        }
    }

    private void removeCluster(ClusterKey k) {
        if (clusters.decrement(k)) batch.remove(ResourceType.CLUSTER, k.clusterName());
        if (endpoints.decrement(k.endpointsName())) {
            Map<String, ClusterKey> ofService = endpointKeys.get(serviceOf(k));
            if (ofService != null && ofService.remove(k.endpointsName()) != null && ofService.isEmpty()) {
                endpointKeys.remove(serviceOf(k));
            }
            batch.remove(ResourceType.ENDPOINT, k.endpointsName());
        }
    }

    private void refreshSecret(String name, SecretLookup lookup) {
        Optional<XdsResource> secret = lookup.secret(name);
        if (secret.isPresent()) {
            batch.put(secret.get());
        } else {
            batch.remove(ResourceType.SECRET, name);
        }
    }

    private static ObjectRef serviceOf(ClusterKey k) {
        return ObjectRef.of(ObjectRef.Kind.SERVICE, k.namespace(), k.service());
    }

    private static Optional<DomainResult.Served> served(DomainResult r) {
        return r instanceof DomainResult.Served s ? Optional.of(s) : Optional.empty();
    }

    /**
     * Translated clusters and load assignments. Shards share them: the engine translates each once per drain
     * however many shards use it.
     */
    interface ClusterLookup {
        XdsResource cluster(ClusterKey key);

        XdsResource loadAssignment(ClusterKey key);
    }

    interface SecretLookup {
        /** The SDS resource for "namespace/name", or empty if the Secret is missing or invalid. */
        Optional<XdsResource> secret(String name);
    }

    /** Reference counts; increment/decrement say whether the count crossed zero. */
    private static final class RefCounts<K> {
        private final Map<K, Integer> counts = new HashMap<>();

        boolean increment(K key) {
            return counts.merge(key, 1, Integer::sum) == 1;
        }

        boolean decrement(K key) {
            Integer left = counts.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
            return left == null;
        }

        boolean contains(K key) {
            return counts.containsKey(key);
        }

        Set<K> keys() {
            return counts.keySet();
        }
    }
}
