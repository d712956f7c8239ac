package io.shardgate.node.engine;

import io.shardgate.translator.Translator;
import io.shardgate.translator.domain.ClaimedHosts;
import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.input.EndpointSliceInput;
import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.HostClaim;
import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ListenerSetInput;
import io.shardgate.translator.input.NamespaceInput;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.input.ReferenceGrantInput;
import io.shardgate.translator.input.ServiceInput;
import io.shardgate.translator.input.TlsSecretInput;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The latest projection of every input object, with the indexes that turn one object's change into the
 * set of domains, endpoints and secrets it invalidates. Mutated only by the engine thread, between
 * translation phases; read concurrently by translations (which never overlap a mutation).
 *
 * <p>Dependencies found by translation (which Services and Secrets a domain looked up) are recorded here
 * too, so that a Service appearing later re-translates the domains that found it missing.
 */
final class InputIndex implements GatewayDefinitions {
    private final Translator translator;
    private final Map<String, IngressClassInput> classes = new TreeMap<>();
    private final Map<String, GatewayClassInput> gatewayClasses = new TreeMap<>();
    private final Map<ObjectRef, GatewayInput> gatewayObjects = new HashMap<>();
    /** Objects of every kind that claim hosts (Ingresses, HTTPRoutes), with the gateway and hosts each claims. */
    private final Map<ObjectRef, HostClaim> claimants = new HashMap<>();
    private final Map<ObjectRef, String> gatewayOf = new HashMap<>();
    private final Map<ObjectRef, List<String>> hostsOf = new HashMap<>();
    private final ListenerSetIndex listenerSets = new ListenerSetIndex();
    private final Map<String, NamespaceInput> namespaces = new HashMap<>();
    /** namespace → its HTTPRoutes: what a change to the Namespace's labels re-evaluates. */
    private final Map<String, Set<ObjectRef>> routesByNamespace = new HashMap<>();
    /** Gateway → the HTTPRoutes whose parentRefs name it: what a Gateway change re-evaluates. */
    private final Map<ObjectRef, Set<ObjectRef>> routesByParent = new HashMap<>();
    /** gateway → host → claiming objects (sorted, so translation sees them in a stable order). */
    private final Map<String, Map<String, TreeSet<ObjectRef>>> claims = new HashMap<>();
    private final Map<ObjectRef, ServiceInput> services = new HashMap<>();
    private final Map<ObjectRef, TlsSecretInput> secrets = new HashMap<>();
    /** Secrets that exist but whose key material this node does not keep (no owned shard uses them). */
    private final Set<ObjectRef> withheld = new HashSet<>();
    private final Map<ObjectRef, EndpointSliceInput> slices = new HashMap<>();
    private final Map<ObjectRef, Map<ObjectRef, EndpointSliceInput>> slicesByService = new HashMap<>();
    /** namespace → its ReferenceGrants, sorted by name (so translation sees them in a stable order). */
    private final Map<String, TreeMap<String, ReferenceGrantInput>> grantsByNamespace = new HashMap<>();
    /**
     * Service, Secret, or a namespace's ReferenceGrants ({@link #referenceGrantsOf}) → domains whose last translation
     * looked it up.
     */
    private final Map<ObjectRef, Set<DomainKey>> dependents = new HashMap<>();
    private final Map<DomainKey, Set<ObjectRef>> dependencies = new HashMap<>();

    InputIndex(Translator translator) {
        this.translator = translator;
    }

    void upsert(InputObject object, Dirty dirty) {
        if (object instanceof HostClaim c) {
            putClaim(c, dirty);
        } else if (object instanceof IngressClassInput c) {
            if (!c.equals(classes.put(c.name(), c))) redefine(dirty, claimants.values(), c.name());
        } else if (object instanceof GatewayClassInput c) {
            if (!c.equals(gatewayClasses.put(c.name(), c))) {
                redefine(dirty, claimants.values(), c.name());
                dirty.allStatuses = true;
            }
        } else if (object instanceof GatewayInput g) {
            GatewayInput old = gatewayObjects.put(g.ref(), g);
            if (!g.equals(old)) {
                redefine(dirty, routesNaming(g.ref()), g.gatewayClassName(), old == null ? null : old.gatewayClassName());
                dirty.domains.addAll(dependentsOf(g.ref()));
                gatewayStatusesChanged(g.ref(), dirty);
                listenerSetsRejudged(listenerSets.setsOf(g.ref()), dirty);
            }
        } else if (object instanceof ServiceInput s) {
            if (!s.equals(services.put(s.ref(), s))) invalidate(s.ref(), dirty.endpoints, dirty);
        } else if (object instanceof TlsSecretInput s) {
            withheld.remove(s.ref());
            // An equal Secret (a relabel, a resync) keeps the instance held: certificate verdicts are memoised by its bytes.
            if (!s.equals(secrets.get(s.ref()))) {
                secrets.put(s.ref(), s);
                invalidate(s.ref(), dirty.secrets, dirty);
            }
        } else if (object instanceof EndpointSliceInput e) {
            putSlice(e, dirty);
        } else if (object instanceof ReferenceGrantInput g) {
            ReferenceGrantInput old = grantsByNamespace.computeIfAbsent(g.namespace(), n -> new TreeMap<>()).put(g.name(), g);
            if (!g.equals(old)) grantsChanged(g.namespace(), dirty);
        } else if (object instanceof ListenerSetInput set) {
            listenerSetsChanged(listenerSets.put(set.ref(), set, this), dirty);
        } else if (object instanceof NamespaceInput n) {
            putNamespace(n.ref(), n, dirty);
        }
    }

    /** A ListenerSet changed: it, and the sets whose listeners may now judge differently, are looked at again. */
    private void listenerSetsChanged(ListenerSetIndex.Change change, Dirty dirty) {
        if (change == null) return;
        for (ObjectRef lookup : change.lookups()) {
            dirty.referenced.add(lookup);
            dirty.domains.addAll(dependentsOf(lookup));
        }
        dirty.statuses.addAll(change.gateways());
        listenerSetsRejudged(change.sets(), dirty);
    }

    /** Their listeners may attach, conflict or serve differently: their routes, domains and statuses are judged again. */
    private void listenerSetsRejudged(Set<ObjectRef> sets, Dirty dirty) {
        for (ObjectRef set : List.copyOf(sets)) {
            dirty.referenced.add(set);
            dirty.domains.addAll(dependentsOf(set));
            dirty.statuses.add(set);
            dirty.statuses.addAll(routesByParent.getOrDefault(set, Set.of()));
            List<HostClaim> routes = routesNaming(set);
            if (!routes.isEmpty()) redefine(dirty, routes);
        }
    }

    /**
     * Puts (non-null) or removes a Namespace. When its labels change, what a listener's namespace selector admits from
     * it may have, and which of its ListenerSets a Gateway admitting sets by label does: their listeners' lookups are
     * taken before the change and compared after. Its routes are claimed again, but only while some listener, of a
     * Gateway or a ListenerSet, selects namespaces by label (at start, every Namespace arrives).
     */
    private void putNamespace(ObjectRef namespace, NamespaceInput now, Dirty dirty) {
        if (java.util.Objects.equals(now, namespaces.get(namespace.name()))) return;
        ListenerSetIndex.Snapshot before = listenerSets.relabelling(namespace.name(), this);
        if (now == null) namespaces.remove(namespace.name());
        else namespaces.put(namespace.name(), now);
        dirty.referenced.add(namespace);
        dirty.domains.addAll(dependentsOf(namespace));
        if (!before.sets().isEmpty()) listenerSetsChanged(listenerSets.relabelled(before, this), dirty);
        boolean selecting = listenerSets.selectsNamespaces() || gatewayObjects.values().stream().flatMap(g -> g.listeners().stream())
                .anyMatch(l -> "Selector".equals(l.allowedNamespaces()));
        if (!selecting) return;
        Set<ObjectRef> routes = routesByNamespace.getOrDefault(namespace.name(), Set.of());
        dirty.statuses.addAll(routes);
        redefine(dirty, routes.stream().map(claimants::get).toList());
    }

    /** A Service or Secret changed: its own resources and every domain that looked it up are dirty. */
    private void invalidate(ObjectRef ref, Set<ObjectRef> resources, Dirty dirty) {
        resources.add(ref);
        dirty.referenced.add(ref);
        dirty.domains.addAll(dependents.getOrDefault(ref, Set.of()));
    }

    private void grantsChanged(String namespace, Dirty dirty) {
        ObjectRef grants = referenceGrantsOf(namespace);
        dirty.referenced.add(grants);
        dirty.domains.addAll(dependentsOf(grants));
    }

    /** A Gateway changed: its status, and that of every route naming it, may have. */
    private void gatewayStatusesChanged(ObjectRef gateway, Dirty dirty) {
        dirty.statuses.add(gateway);
        dirty.statuses.addAll(routesByParent.getOrDefault(gateway, Set.of()));
    }

    void delete(ObjectRef ref, Dirty dirty) {
        switch (ref.kind()) {
            case INGRESS, HTTP_ROUTE -> removeClaim(ref, dirty);
            case INGRESS_CLASS -> {
                if (classes.remove(ref.name()) != null) redefine(dirty, claimants.values(), ref.name());
            }
            case GATEWAY_CLASS -> {
                if (gatewayClasses.remove(ref.name()) != null) {
                    redefine(dirty, claimants.values(), ref.name());
                    dirty.allStatuses = true;
                }
            }
            case GATEWAY -> {
                GatewayInput old = gatewayObjects.remove(ref);
                if (old != null) {
                    redefine(dirty, routesNaming(ref), old.gatewayClassName());
                    dirty.domains.addAll(dependentsOf(ref));
                    gatewayStatusesChanged(ref, dirty);
                    listenerSetsRejudged(listenerSets.setsOf(ref), dirty);
                }
            }
            case SERVICE -> {
                if (services.remove(ref) != null) invalidate(ref, dirty.endpoints, dirty);
            }
            case SECRET -> {
                if (secrets.remove(ref) != null | withheld.remove(ref)) invalidate(ref, dirty.secrets, dirty);
            }
            case ENDPOINT_SLICE -> removeSlice(ref, dirty);
            case LISTENER_SET -> listenerSetsChanged(listenerSets.put(ref, null, this), dirty);
            case NAMESPACE -> putNamespace(ref, null, dirty);
            case REFERENCE_GRANT -> {
                TreeMap<String, ReferenceGrantInput> grants = grantsByNamespace.get(ref.namespace());
                if (grants == null || grants.remove(ref.name()) == null) return;
                if (grants.isEmpty()) grantsByNamespace.remove(ref.namespace());
                grantsChanged(ref.namespace(), dirty);
            }
        }
    }

    // ---- reads used by translation ----

    List<HostClaim> claims(String gateway, String host) {
        Set<ObjectRef> refs = claims.getOrDefault(gateway, Map.of()).get(host);
        if (refs == null) return List.of();
        List<HostClaim> out = new ArrayList<>(refs.size());
        for (ObjectRef r : refs) out.add(claimants.get(r));
        return out;
    }

    Optional<ServiceInput> service(ObjectRef ref) {
        return Optional.ofNullable(services.get(ref));
    }

    Optional<TlsSecretInput> secret(ObjectRef ref) {
        return Optional.ofNullable(secrets.get(ref));
    }

    List<ReferenceGrantInput> referenceGrants(String namespace) {
        TreeMap<String, ReferenceGrantInput> grants = grantsByNamespace.get(namespace);
        return grants == null ? List.of() : List.copyOf(grants.values());
    }

    /**
     * The dependency a translation records when it reads a namespace's ReferenceGrants: any grant of that namespace
     * changing re-translates it. Named "*", which no Kubernetes object can be.
     */
    static ObjectRef referenceGrantsOf(String namespace) {
        return ObjectRef.of(ObjectRef.Kind.REFERENCE_GRANT, namespace, "*");
    }

    /** The Secret exists, whether or not its key material is kept here. */
    boolean secretExists(ObjectRef ref) {
        return secrets.containsKey(ref) || withheld.contains(ref);
    }

    /** The Secret exists, but its key material was dropped: it must be fetched before use. */
    boolean isWithheld(ObjectRef ref) {
        return withheld.contains(ref);
    }

    /** Drops a Secret's key material, remembering only that it exists. */
    void withhold(ObjectRef ref) {
        if (secrets.remove(ref) != null) withheld.add(ref);
    }

    /**
     * Puts back fetched key material (null: the Secret is gone, or no longer a valid TLS Secret); the domains
     * that looked it up are dirty. A Secret the source deleted or replaced meanwhile is left as the source says.
     */
    void restore(ObjectRef ref, TlsSecretInput fetched, Dirty dirty) {
        if (!withheld.remove(ref)) return;
        if (fetched != null) secrets.put(ref, fetched);
        invalidate(ref, dirty.secrets, dirty);
    }

    int secretsHeld() {
        return secrets.size();
    }

    int secretsWithheld() {
        return withheld.size();
    }

    List<EndpointSliceInput> slicesOf(ObjectRef service) {
        Map<ObjectRef, EndpointSliceInput> bySlice = slicesByService.get(service);
        if (bySlice == null) return List.of();
        List<EndpointSliceInput> out = new ArrayList<>(bySlice.values());
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    @Override
    public Collection<IngressClassInput> ingressClasses() {
        return classes.values();
    }

    @Override
    public Optional<GatewayClassInput> gatewayClass(String name) {
        return Optional.ofNullable(gatewayClasses.get(name));
    }

    @Override
    public Optional<GatewayInput> gateway(String namespace, String name) {
        return Optional.ofNullable(gatewayObjects.get(ObjectRef.of(ObjectRef.Kind.GATEWAY, namespace, name)));
    }

    @Override
    public Optional<ListenerSetInput> listenerSet(String namespace, String name) {
        return listenerSets.get(ObjectRef.of(ObjectRef.Kind.LISTENER_SET, namespace, name));
    }

    @Override
    public Optional<ListenerSetInput.Claimant> firstListenerSetListener(ObjectRef gateway, int port) {
        return listenerSets.first(gateway, port, this);
    }

    @Override
    public Optional<ListenerSetInput.Claimant> firstListenerSetListener(ObjectRef gateway, int port, String hostname) {
        return listenerSets.first(gateway, port, hostname, this);
    }

    @Override
    public Optional<NamespaceInput> namespace(String name) {
        return Optional.ofNullable(namespaces.get(name));
    }

    /**
     * Shardgate gateways by name, each defined by an IngressClass or a GatewayClass of the Shardgate controller.
     * When both of one name exist, the IngressClass's settings apply (docs/gateway-api.md).
     */
    Map<String, GatewaySettings> gateways() {
        Map<String, GatewaySettings> out = new TreeMap<>();
        gatewayClasses.values().stream().filter(GatewayClassInput::isShardgate)
                .forEach(c -> out.put(c.name(), new GatewaySettings(c.shards(), c.clientIdentities(), c.layout())));
        classes.values().stream().filter(IngressClassInput::isShardgate)
                .forEach(c -> out.put(c.name(), new GatewaySettings(c.shards(), c.clientIdentities(), c.layout())));
        return out;
    }

    // ---- reads used by status ----

    /** Every GatewayClass, Gateway and HTTPRoute: the objects that have a Gateway API status. */
    List<ObjectRef> gatewayApiObjects() {
        List<ObjectRef> out = new ArrayList<>();
        gatewayClasses.values().forEach(c -> out.add(c.ref()));
        out.addAll(gatewayObjects.keySet());
        claimants.keySet().stream().filter(ref -> ref.kind() == ObjectRef.Kind.HTTP_ROUTE).forEach(out::add);
        out.addAll(listenerSets.all());
        return out;
    }

    /** The GatewayClass, Gateway or HTTPRoute, if it exists. */
    Optional<InputObject> gatewayApiObject(ObjectRef ref) {
        return Optional.ofNullable(switch (ref.kind()) {
            case GATEWAY_CLASS -> gatewayClasses.get(ref.name());
            case GATEWAY -> gatewayObjects.get(ref);
            case HTTP_ROUTE -> claimants.get(ref);
            case LISTENER_SET -> listenerSets.get(ref).orElse(null);
            default -> null;
        });
    }

    /** The gateway of a claim that belongs to a gateway (null when it does not). */
    String gatewayOfClaim(ObjectRef claim) {
        return gatewayOf.get(claim);
    }

    List<String> hostsOfClaim(ObjectRef claim) {
        return hostsOf.getOrDefault(claim, List.of());
    }

    Set<String> hostsOf(String gateway) {
        return claims.getOrDefault(gateway, Map.of()).keySet();
    }

    // ---- dependencies recorded after translation ----

    /** The domains whose last translation looked the object up. */
    Set<DomainKey> dependentsOf(ObjectRef ref) {
        return dependents.getOrDefault(ref, Set.of());
    }

    void recordDependencies(DomainKey domain, Set<ObjectRef> lookedUp) {
        Set<ObjectRef> old = lookedUp.isEmpty() ? dependencies.remove(domain) : dependencies.put(domain, lookedUp);
        if (old != null) {
            for (ObjectRef r : old) {
                if (lookedUp.contains(r)) continue;
                Set<DomainKey> ds = dependents.get(r);
                if (ds != null && ds.remove(domain) && ds.isEmpty()) dependents.remove(r);
            }
        }
        for (ObjectRef r : lookedUp) dependents.computeIfAbsent(r, k -> new HashSet<>()).add(domain);
    }

    // ---- claim bookkeeping ----

    private void putClaim(HostClaim claim, Dirty dirty) {
        HostClaim old = claimants.put(claim.ref(), claim);
        if (claim.equals(old)) return;
        routeStatusesChanged(old, dirty);
        routeStatusesChanged(claim, dirty);
        forgetParents(old);
        if (claim instanceof HttpRouteInput route) {
            for (ObjectRef parent : parentsOf(route)) routesByParent.computeIfAbsent(parent, p -> new HashSet<>()).add(route.ref());
            routesByNamespace.computeIfAbsent(route.namespace(), n -> new HashSet<>()).add(route.ref());
        }
        unclaim(claim.ref(), dirty);
        claim(claim, dirty);
    }

    private void removeClaim(ObjectRef ref, Dirty dirty) {
        HostClaim old = claimants.remove(ref);
        if (old == null) return;
        routeStatusesChanged(old, dirty);
        forgetParents(old);
        unclaim(ref, dirty);
    }

    private void claim(HostClaim claim, Dirty dirty) {
        claim(claim, translator.claimOf(claim, this), dirty);
    }

    private void claim(HostClaim claim, Optional<ClaimedHosts> claimed, Dirty dirty) {
        if (claimed.isEmpty()) return;
        String gateway = claimed.get().gateway();
        List<String> hosts = claimed.get().hosts();
        gatewayOf.put(claim.ref(), gateway);
        hostsOf.put(claim.ref(), hosts);
        Map<String, TreeSet<ObjectRef>> byHost = claims.computeIfAbsent(gateway, g -> new HashMap<>());
        for (String host : hosts) {
            byHost.computeIfAbsent(host, h -> new TreeSet<>()).add(claim.ref());
            dirty.domains.add(new DomainKey(gateway, host));
        }
    }

    private void unclaim(ObjectRef ref, Dirty dirty) {
        String gateway = gatewayOf.remove(ref);
        List<String> hosts = hostsOf.remove(ref);
        if (gateway == null) return;
        Map<String, TreeSet<ObjectRef>> byHost = claims.get(gateway);
        for (String host : hosts) {
            TreeSet<ObjectRef> refs = byHost.get(host);
            if (refs != null && refs.remove(ref) && refs.isEmpty()) byHost.remove(host);
            dirty.domains.add(new DomainKey(gateway, host));
        }
    }

    /**
     * A class or a Gateway changed: the gateway each claim belongs to may change (a default class appeared, a
     * class was renamed), and so may the hosts of a route (a listener's hostname changed). A class change re-evaluates
     * every claim (rare); a Gateway change only the routes that name it. Only claims whose gateway or hosts changed
     * are marked dirty.
     *
     * @param affected        the claims to re-evaluate
     * @param changedGateways the names of the gateways whose definition changed; nulls are skipped
     */
    private void redefine(Dirty dirty, Collection<HostClaim> affected, String... changedGateways) {
        for (HostClaim claim : List.copyOf(affected)) {
            Optional<ClaimedHosts> after = translator.claimOf(claim, this);
            String gatewayBefore = gatewayOf.get(claim.ref());
            boolean unchanged = after.isEmpty() ? gatewayBefore == null
                    : after.get().gateway().equals(gatewayBefore) && after.get().hosts().equals(hostsOf.get(claim.ref()));
            if (unchanged) continue;
            unclaim(claim.ref(), dirty);
            claim(claim, after, dirty);
        }
        for (String changed : changedGateways) {
            if (changed != null) dirty.gateways.add(changed);
        }
        dirty.gateways.addAll(claims.keySet());
        dirty.gateways.addAll(gateways().keySet());
    }

    /**
     * The Gateways a route's parentRefs name, by namespace and name only: a superset of those it attaches to (group,
     * kind, section and port are the translator's to judge), which is all re-evaluation needs.
     */
    private static Set<ObjectRef> parentsOf(HttpRouteInput route) {
        Set<ObjectRef> parents = new HashSet<>();
        for (HttpRouteInput.ParentRef parent : route.parentRefs()) {
            ObjectRef.Kind kind = "ListenerSet".equals(parent.kind()) ? ObjectRef.Kind.LISTENER_SET : ObjectRef.Kind.GATEWAY;
            parents.add(ObjectRef.of(kind, parent.namespace() == null ? route.namespace() : parent.namespace(), parent.name()));
        }
        return parents;
    }

    /** A route changed: its status, and that of each Gateway it names (their attachedRoutes), may have. */
    private static void routeStatusesChanged(HostClaim claim, Dirty dirty) {
        if (!(claim instanceof HttpRouteInput route)) return;
        dirty.statuses.add(route.ref());
        dirty.statuses.addAll(parentsOf(route));
    }

    private void forgetParents(HostClaim claim) {
        if (!(claim instanceof HttpRouteInput route)) return;
        for (ObjectRef parent : parentsOf(route)) {
            Set<ObjectRef> routes = routesByParent.get(parent);
            if (routes != null && routes.remove(route.ref()) && routes.isEmpty()) routesByParent.remove(parent);
        }
        Set<ObjectRef> inNamespace = routesByNamespace.get(route.namespace());
        if (inNamespace != null && inNamespace.remove(route.ref()) && inNamespace.isEmpty()) routesByNamespace.remove(route.namespace());
    }

    /** The routes whose parentRefs name the Gateway or ListenerSet. */
    private List<HostClaim> routesNaming(ObjectRef gateway) {
        return routesByParent.getOrDefault(gateway, Set.of()).stream().map(claimants::get).toList();
    }

    // ---- EndpointSlice bookkeeping ----

    private void putSlice(EndpointSliceInput slice, Dirty dirty) {
        EndpointSliceInput old = slices.put(slice.ref(), slice);
        if (slice.equals(old)) return;
        if (old != null) detachSlice(old, dirty);
        ObjectRef service = serviceRef(slice);
        slicesByService.computeIfAbsent(service, s -> new HashMap<>()).put(slice.ref(), slice);
        dirty.endpoints.add(service);
    }

    private void removeSlice(ObjectRef ref, Dirty dirty) {
        EndpointSliceInput old = slices.remove(ref);
        if (old != null) detachSlice(old, dirty);
    }

    private void detachSlice(EndpointSliceInput slice, Dirty dirty) {
        ObjectRef service = serviceRef(slice);
        Map<ObjectRef, EndpointSliceInput> bySlice = slicesByService.get(service);
        if (bySlice != null && bySlice.remove(slice.ref()) != null && bySlice.isEmpty()) slicesByService.remove(service);
        dirty.endpoints.add(service);
    }

    private static ObjectRef serviceRef(EndpointSliceInput slice) {
        return ObjectRef.of(ObjectRef.Kind.SERVICE, slice.namespace(), slice.serviceName() == null ? "" : slice.serviceName());
    }
}
