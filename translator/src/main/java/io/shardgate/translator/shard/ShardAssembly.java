package io.shardgate.translator.shard;

import io.shardgate.translator.Translator;
import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.domain.DomainResult;
import io.shardgate.translator.envoy.EnvoyNames;
import io.shardgate.translator.input.GatewayLayout;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.resource.Composite;
import io.shardgate.translator.resource.ResourceKey;
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
 * Which resources one gateway shard serves, given its domains' results: the rules, in one place, that decide
 * a shard's content. Each domain's own resources (its HTTPS route configuration), its parts of the two
 * composites (a filter chain in the HTTPS listener, a virtual host in the plain-HTTP route configuration),
 * and the resources domains share (clusters, load assignments, Secrets), reference-counted: asked for when
 * their first user appears, removed with their last. The HTTPS listener is served only while it has a
 * chain (Envoy refuses a listener without any).
 *
 * <p>In the scoped layout ({@link ScopedFiling}) a domain's plain HTTP and HTTPS are scopes and route configurations
 * of its own instead of parts of the shared composites, so a change to it sends that domain's bytes only.
 *
 * <p>Incremental and pure: applying a domain's result costs that domain's changes only, and
 * {@link #takeChanges()} returns the net change of the served content since it was last called. No I/O,
 * no clock, not thread-safe (one owner at a time). From scratch is the same code: a new assembly given
 * every domain; its first changes are the whole content.
 */
public final class ShardAssembly {
    private final Translator translator;
    private GatewayLayout layout;
    private Composite https;
    /** The classic layout's plain-HTTP route configuration; null in the scoped layout. */
    private Composite httpRoutes;
    /** The scoped layout's filing; null in the classic layout. */
    private ScopedFiling scoped;
    private final Map<String, DomainResult> domains = new HashMap<>();
    private int served;
    private final RefCounts<ClusterKey> clusters = new RefCounts<>();
    /**
     * Service → its endpoints names in use here → the cluster key used to translate each (any protocol
     * variant: endpoints do not depend on it). Keyed by Service so an endpoint change costs that Service only.
     */
    private final Map<ObjectRef, Map<String, ClusterKey>> endpointKeys = new HashMap<>();
    private final RefCounts<String> endpoints = new RefCounts<>();
    private final RefCounts<ObjectRef> secrets = new RefCounts<>();
    private final ShardChanges.Builder changes = new ShardChanges.Builder();
    private boolean compositesChanged = true;

    public ShardAssembly(Translator translator, GatewayLayout layout) {
        this.translator = translator;
        useLayout(layout);
    }

    private void useLayout(GatewayLayout next) {
        layout = next;
        https = translator.httpsListener(next);
        httpRoutes = next == GatewayLayout.CLASSIC ? translator.httpRouteConfiguration() : null;
        scoped = next == GatewayLayout.SCOPED ? new ScopedFiling(translator, changes, https, domains) : null;
        compositesChanged = true;
        changes.put(translator.httpListener(next));
    }

    public GatewayLayout layout() {
        return layout;
    }

    /**
     * The gateway's class chose another layout: takes every placed domain out and files it again the new way, so the
     * net change is what a fresh assembly in that layout would serve. Its domains should be translated again too (the
     * layout decides which hosts have a plain-HTTP virtual host, and the HTTPS routes of exact hosts), and applied as usual.
     */
    public void relayout(GatewayLayout next, SharedResources shared) {
        if (next == layout) return;
        Map<String, DomainResult> placed = new HashMap<>(domains);
        placed.keySet().forEach(host -> apply(host, null, shared));
        if (httpRoutes != null) changes.remove(new ResourceKey(ResourceType.ROUTE, httpRoutes.name()));
        useLayout(next);
        placed.forEach((host, result) -> apply(host, result, shared));
    }

    /** Domains placed here, served or rejected. */
    public int domainCount() {
        return domains.size();
    }

    /** Domains placed here whose result is served (perhaps degraded). */
    public int servedDomainCount() {
        return served;
    }

    public Set<String> hosts() {
        return domains.keySet();
    }

    public DomainResult domain(String host) {
        return domains.get(host);
    }

    public boolean usesSecret(ObjectRef secret) {
        return secrets.contains(secret);
    }

    /** The Secrets this shard's domains use: served under their own names, or in the scoped layout under their hosts' names. */
    public Set<ObjectRef> secrets() {
        return secrets.keys();
    }

    /** Replaces a domain's result; null removes the domain. */
    public void apply(String host, DomainResult result, SharedResources shared) {
        DomainResult old = result == null ? domains.remove(host) : domains.put(host, result);
        Optional<DomainResult.Served> before = served(old);
        Optional<DomainResult.Served> after = served(result);
        served += (after.isPresent() ? 1 : 0) - (before.isPresent() ? 1 : 0);

        if (scoped == null) {
            compositesChanged |= after.flatMap(DomainResult.Served::httpsChain).map(https::put)
                    .orElseGet(() -> https.remove(host));
            compositesChanged |= after.flatMap(DomainResult.Served::httpVirtualHost).map(httpRoutes::put)
                    .orElseGet(() -> httpRoutes.remove(host));
        } else {
            compositesChanged |= scoped.https(host, after, shared);
            scoped.plain(host, before, after);
        }

        Optional<XdsResource> oldRoute = before.flatMap(DomainResult.Served::httpsRoute);
        Optional<XdsResource> newRoute = after.flatMap(DomainResult.Served::httpsRoute);
        newRoute.ifPresent(changes::put);
        oldRoute.filter(r -> newRoute.map(n -> !n.name().equals(r.name())).orElse(true))
                .ifPresent(r -> changes.remove(new ResourceKey(ResourceType.ROUTE, r.name())));

        SortedSet<ClusterKey> oldClusters = before.map(DomainResult.Served::clusters).orElse(new TreeSet<>());
        SortedSet<ClusterKey> newClusters = after.map(DomainResult.Served::clusters).orElse(new TreeSet<>());
        for (ClusterKey k : newClusters) {
            if (!oldClusters.contains(k)) addCluster(k, shared);
        }
        for (ClusterKey k : oldClusters) {
            if (!newClusters.contains(k)) removeCluster(k);
        }

        SortedSet<ObjectRef> oldSecrets = before.map(DomainResult.Served::secrets).orElse(new TreeSet<>());
        SortedSet<ObjectRef> newSecrets = after.map(DomainResult.Served::secrets).orElse(new TreeSet<>());
        // In the scoped layout a Secret is served under its own name only while a chain names it (ScopedFiling).
        for (ObjectRef s : newSecrets) {
            if (!oldSecrets.contains(s) && secrets.increment(s) && scoped == null) refreshSecret(s, shared);
        }
        for (ObjectRef s : oldSecrets) {
            if (!newSecrets.contains(s) && secrets.decrement(s) && scoped == null) changes.remove(secretKey(s));
        }
    }

    /** A Service or its slices changed: re-asks for the load assignments this shard serves for it. */
    public void endpointsChanged(ObjectRef service, SharedResources shared) {
        for (ClusterKey k : endpointKeys.getOrDefault(service, Map.of()).values()) changes.put(shared.loadAssignment(k));
    }

    /** A Secret changed: re-asks for its SDS resource if this shard serves it. */
    public void secretChanged(ObjectRef secret, SharedResources shared) {
        if (scoped != null) {
            scoped.secretChanged(secret, shared);
        } else if (secrets.contains(secret)) {
            refreshSecret(secret, shared);
        }
    }

    /** The net change of the served content since the last call (the first call: the whole content). */
    public ShardChanges takeChanges() {
        if (compositesChanged) {
            if (https.isEmpty() && (scoped == null || !scoped.hasTlsDomains())) {
                changes.remove(new ResourceKey(ResourceType.LISTENER, https.name()));
            } else {
                changes.put(https.resource());
            }
            if (httpRoutes != null) changes.put(httpRoutes.resource());
            compositesChanged = false;
        }
        return changes.take();
    }

    /**
     * The served domains behind rejected resources: a domain's own route configuration by name; for shared
     * resources (the listeners, the plain-HTTP routes, clusters, endpoints, secrets) the domains that use
     * them and that Envoy's error message names, or every user when it names none. Rare, so a scan is fine.
     */
    public List<String> hostsBehind(ResourceType type, Set<String> names, String error) {
        List<String> users = new ArrayList<>();
        for (Map.Entry<String, DomainResult> e : domains.entrySet()) {
            if (e.getValue() instanceof DomainResult.Served s && uses(s, type, names)) users.add(e.getKey());
        }
        List<String> named = users.stream().filter(error::contains).toList();
        List<String> hosts = new ArrayList<>(named.isEmpty() ? users : named);
        hosts.sort(null);
        return hosts;
    }

    private boolean uses(DomainResult.Served s, ResourceType type, Set<String> names) {
        if (scoped != null && scoped.uses(s, type, names)) return true;
        return switch (type) {
            case LISTENER -> true;
            case SCOPED_ROUTE -> false;
            case ROUTE -> s.httpsRoute().map(r -> names.contains(r.name())).orElse(false)
                    || httpRoutes != null && s.httpVirtualHost().isPresent() && names.contains(EnvoyNames.HTTP_ROUTE_CONFIGURATION);
            case CLUSTER -> s.clusters().stream().anyMatch(k -> names.contains(k.clusterName()));
            case ENDPOINT -> s.clusters().stream().anyMatch(k -> names.contains(k.endpointsName()));
            case SECRET -> scoped == null && s.secrets().stream().anyMatch(ref -> names.contains(EnvoyNames.secret(ref)));
        };
    }

    private void addCluster(ClusterKey k, SharedResources shared) {
        if (clusters.increment(k)) changes.put(shared.cluster(k));
        if (endpoints.increment(k.endpointsName())) {
            endpointKeys.computeIfAbsent(serviceOf(k), s -> new HashMap<>()).put(k.endpointsName(), k);
            changes.put(shared.loadAssignment(k));
        }
    }

    private void removeCluster(ClusterKey k) {
        if (clusters.decrement(k)) changes.remove(new ResourceKey(ResourceType.CLUSTER, k.clusterName()));
        if (endpoints.decrement(k.endpointsName())) {
            Map<String, ClusterKey> ofService = endpointKeys.get(serviceOf(k));
            if (ofService != null && ofService.remove(k.endpointsName()) != null && ofService.isEmpty()) {
                endpointKeys.remove(serviceOf(k));
            }
            changes.remove(new ResourceKey(ResourceType.ENDPOINT, k.endpointsName()));
        }
    }

    private void refreshSecret(ObjectRef secret, SharedResources shared) {
        Optional<XdsResource> resource = shared.secret(secret);
        if (resource.isPresent()) {
            changes.put(resource.get());
        } else {
            changes.remove(secretKey(secret));
        }
    }

    private static ResourceKey secretKey(ObjectRef secret) {
        return new ResourceKey(ResourceType.SECRET, EnvoyNames.secret(secret));
    }

    private static ObjectRef serviceOf(ClusterKey k) {
        return ObjectRef.of(ObjectRef.Kind.SERVICE, k.namespace(), k.service());
    }

    private static Optional<DomainResult.Served> served(DomainResult r) {
        return r instanceof DomainResult.Served s ? Optional.of(s) : Optional.empty();
    }

    /** Reference counts; increment/decrement say whether the count crossed zero. */
    private static final class RefCounts<K> {
        private final Map<K, Integer> counts = new HashMap<>();

        boolean increment(K key) {
            return counts.merge(key, 1, Integer::sum) == 1;
        }

        boolean decrement(K key) {
            return counts.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1) == null;
        }

        boolean contains(K key) {
            return counts.containsKey(key);
        }

        Set<K> keys() {
            return counts.keySet();
        }
    }
}
