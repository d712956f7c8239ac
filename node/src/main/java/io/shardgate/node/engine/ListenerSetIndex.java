package io.shardgate.node.engine;

import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.ListenerSetInput;
import io.shardgate.translator.input.ObjectRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ListenerSets, indexed so that what translation asks about them costs a lookup, not a pass over a Gateway's
 * ListenerSets (a platform may give one Gateway 100,000 of them): a set by name, and the first ListenerSet listener, in
 * the specification's precedence, on a Gateway's port and on a (port, hostname). A change tells which sets' listeners
 * may now judge differently (their conflicts), so only their routes and domains are looked at again.
 *
 * <p>Translation records the lookups by port and by hostname as dependencies on synthetic refs ({@link #onPort},
 * {@link #onHostname}), named with "*", which no Kubernetes object can be. Engine thread only.
 */
final class ListenerSetIndex {
    private static final Comparator<ListenerSetInput.Claimant> PRECEDENCE = Comparator
            .comparing(ListenerSetInput.Claimant::set, ListenerSetInput.PRECEDENCE)
            .thenComparingInt(c -> c.set().listeners().indexOf(c.listener()))
            .thenComparing(c -> c.listener().name());

    private record PortKey(ObjectRef gateway, int port) {}

    private record HostnameKey(ObjectRef gateway, int port, String hostname) {}

    /** What a change affects: the sets whose listeners may judge differently, and the lookups whose answer changed. */
    record Change(Set<ObjectRef> sets, Set<ObjectRef> lookups, Set<ObjectRef> gateways) {}

    private final Map<ObjectRef, ListenerSetInput> sets = new HashMap<>();
    private final Map<ObjectRef, Set<ObjectRef>> setsByGateway = new HashMap<>();
    private final Map<String, Set<ObjectRef>> setsByNamespace = new HashMap<>();
    private final Map<PortKey, TreeSet<ListenerSetInput.Claimant>> byPort = new HashMap<>();
    private final Map<HostnameKey, TreeSet<ListenerSetInput.Claimant>> byHostname = new HashMap<>();
    /** Listeners whose allowedRoutes select namespaces by label: while there are some, a Namespace's labels matter. */
    private int selectingListeners;

    /** The dependency a translation records when it asks for the first ListenerSet listener on a Gateway's port. */
    static ObjectRef onPort(ObjectRef gateway, int port) {
        return ObjectRef.of(ObjectRef.Kind.LISTENER_SET, gateway.namespace(), "*" + gateway.name() + ":" + port);
    }

    /** The dependency a translation records when it asks for the first ListenerSet listener of a hostname on a port. */
    static ObjectRef onHostname(ObjectRef gateway, int port, String hostname) {
        return ObjectRef.of(ObjectRef.Kind.LISTENER_SET, gateway.namespace(),
                "*" + gateway.name() + ":" + port + "/" + Objects.requireNonNullElse(hostname, ""));
    }

    Optional<ListenerSetInput> get(ObjectRef ref) {
        return Optional.ofNullable(sets.get(ref));
    }

    Set<ObjectRef> all() {
        return sets.keySet();
    }

    /** The ListenerSets naming the Gateway, admitted by it or not. */
    Set<ObjectRef> setsOf(ObjectRef gateway) {
        return setsByGateway.getOrDefault(gateway, Set.of());
    }

    /** Some set's listener admits routes by their Namespace's labels (allowedRoutes.namespaces.from Selector). */
    boolean selectsNamespaces() {
        return selectingListeners > 0;
    }

    Optional<ListenerSetInput.Claimant> first(ObjectRef gateway, int port, GatewayDefinitions definitions) {
        return firstAdmitted(byPort.get(new PortKey(gateway, port)), gateway, definitions);
    }

    Optional<ListenerSetInput.Claimant> first(ObjectRef gateway, int port, String hostname,
            GatewayDefinitions definitions) {
        return firstAdmitted(byHostname.get(new HostnameKey(gateway, port, hostname)), gateway, definitions);
    }

    /** Puts (set non-null) or removes (set null, {@code ref} names it) a ListenerSet; null when nothing changed. */
    Change put(ObjectRef ref, ListenerSetInput set, GatewayDefinitions definitions) {
        ListenerSetInput old = set == null ? sets.remove(ref) : sets.put(ref, set);
        if (Objects.equals(old, set)) return null;
        Snapshot before = snapshot(java.util.Arrays.asList(old, set), definitions);
        if (old != null) {
            unindex(old);
            selectingListeners -= selecting(old);
        }
        if (set != null) {
            index(set);
            selectingListeners += selecting(set);
        }
        return before.changes(definitions);
    }

    /**
     * Before a Namespace's labels change (the definitions still give the old ones): what its ListenerSets on Gateways
     * that admit sets by label answer now, to compare with {@link #relabelled}. Empty when no such Gateway has a set there.
     */
    Snapshot relabelling(String namespace, GatewayDefinitions definitions) {
        List<ListenerSetInput> selected = setsByNamespace.getOrDefault(namespace, Set.of()).stream().map(sets::get)
                .filter(set -> set.gateway() != null && definitions.gateway(set.gateway().namespace(), set.gateway().name())
                        .filter(GatewayInput::selectsListenerSetsByLabel).isPresent())
                .toList();
        return snapshot(selected, definitions);
    }

    /** After the labels changed: the sets whose admission may have changed, with the lookups whose answer did. */
    Change relabelled(Snapshot before, GatewayDefinitions definitions) {
        return before.changes(definitions);
    }

    /** The first admitted listener of every (port) and (port, hostname) the sets' listeners are on, as it is now. */
    private Snapshot snapshot(List<ListenerSetInput> of, GatewayDefinitions definitions) {
        List<ListenerSetInput> present = of.stream().filter(Objects::nonNull).toList();
        Map<PortKey, String> protocolBefore = new HashMap<>();
        Map<HostnameKey, String> firstBefore = new HashMap<>();
        for (ListenerSetInput s : present) {
            if (s.gateway() == null) continue;
            for (GatewayInput.Listener l : s.listeners()) {
                PortKey port = new PortKey(s.gateway(), l.port());
                protocolBefore.computeIfAbsent(port, k -> protocolOf(firstAdmitted(byPort.get(k), k.gateway(), definitions)));
                HostnameKey hostname = new HostnameKey(s.gateway(), l.port(), l.hostname());
                firstBefore.computeIfAbsent(hostname, k -> identity(firstAdmitted(byHostname.get(k), k.gateway(), definitions)));
            }
        }
        return new Snapshot(present, protocolBefore, firstBefore);
    }

    /** What the lookups of some sets' listeners answered before a change. */
    final class Snapshot {
        private final List<ListenerSetInput> sets;
        private final Map<PortKey, String> protocolBefore;
        private final Map<HostnameKey, String> firstBefore;

        private Snapshot(List<ListenerSetInput> sets, Map<PortKey, String> protocolBefore, Map<HostnameKey, String> firstBefore) {
            this.sets = sets;
            this.protocolBefore = protocolBefore;
            this.firstBefore = firstBefore;
        }

        List<ListenerSetInput> sets() {
            return sets;
        }

        /**
         * The change: the snapshot's sets, those whose listeners now judge differently, the lookups whose answer changed,
         * and the sets' Gateways.
         */
        private Change changes(GatewayDefinitions definitions) {
            Set<ObjectRef> affected = new HashSet<>();
            Set<ObjectRef> gatewayRefs = new HashSet<>();
            for (ListenerSetInput set : sets) {
                affected.add(set.ref());
                if (set.gateway() != null) gatewayRefs.add(set.gateway());
            }
            Set<ObjectRef> lookups = new HashSet<>();
            for (HostnameKey k : firstBefore.keySet()) {
                Optional<ListenerSetInput.Claimant> after = firstAdmitted(byHostname.get(k), k.gateway(), definitions);
                String before = firstBefore.get(k);
                if (Objects.equals(before, identity(after))) continue;
                lookups.add(onHostname(k.gateway(), k.port(), k.hostname()));
                // The listener that was first and the one that is now: each goes in or out of conflict.
                after.ifPresent(c -> affected.add(c.set().ref()));
                if (before != null) affected.add(ObjectRef.of(ObjectRef.Kind.LISTENER_SET, before.split("\n")[0], before.split("\n")[1]));
            }
            for (PortKey k : protocolBefore.keySet()) {
                if (Objects.equals(protocolBefore.get(k), protocolOf(firstAdmitted(byPort.get(k), k.gateway(), definitions)))) continue;
                // The port's protocol changed: every ListenerSet listener on it may go in or out of conflict.
                lookups.add(onPort(k.gateway(), k.port()));
                byPort.getOrDefault(k, new TreeSet<>(PRECEDENCE)).forEach(c -> affected.add(c.set().ref()));
            }
            return new Change(affected, lookups, gatewayRefs);
        }
    }

    private static int selecting(ListenerSetInput set) {
        return (int) set.listeners().stream().filter(l -> "Selector".equals(l.allowedNamespaces())).count();
    }

    private void index(ListenerSetInput set) {
        setsByNamespace.computeIfAbsent(set.namespace(), n -> new HashSet<>()).add(set.ref());
        ObjectRef gateway = set.gateway();
        if (gateway == null) return;
        setsByGateway.computeIfAbsent(gateway, g -> new HashSet<>()).add(set.ref());
        for (GatewayInput.Listener l : set.listeners()) {
            ListenerSetInput.Claimant c = new ListenerSetInput.Claimant(set, l);
            byPort.computeIfAbsent(new PortKey(gateway, l.port()), k -> new TreeSet<>(PRECEDENCE)).add(c);
            byHostname.computeIfAbsent(new HostnameKey(gateway, l.port(), l.hostname()), k -> new TreeSet<>(PRECEDENCE)).add(c);
        }
    }

    private void unindex(ListenerSetInput set) {
        Set<ObjectRef> ofNamespace = setsByNamespace.get(set.namespace());
        if (ofNamespace != null && ofNamespace.remove(set.ref()) && ofNamespace.isEmpty()) setsByNamespace.remove(set.namespace());
        ObjectRef gateway = set.gateway();
        if (gateway == null) return;
        Set<ObjectRef> ofGateway = setsByGateway.get(gateway);
        if (ofGateway != null && ofGateway.remove(set.ref()) && ofGateway.isEmpty()) setsByGateway.remove(gateway);
        for (GatewayInput.Listener l : set.listeners()) {
            ListenerSetInput.Claimant c = new ListenerSetInput.Claimant(set, l);
            removeFrom(byPort, new PortKey(gateway, l.port()), c);
            removeFrom(byHostname, new HostnameKey(gateway, l.port(), l.hostname()), c);
        }
    }

    private static <K> void removeFrom(Map<K, TreeSet<ListenerSetInput.Claimant>> map, K key, ListenerSetInput.Claimant c) {
        TreeSet<ListenerSetInput.Claimant> claimants = map.get(key);
        if (claimants != null && claimants.remove(c) && claimants.isEmpty()) map.remove(key);
    }

    /**
     * The first claimant whose set the Gateway admits. Sets are in precedence order, so this stops at the first admitted
     * one: at once when the Gateway admits every namespace, or its own and the sets are there.
     */
    private static Optional<ListenerSetInput.Claimant> firstAdmitted(TreeSet<ListenerSetInput.Claimant> claimants, ObjectRef gateway,
            GatewayDefinitions definitions) {
        if (claimants == null) return Optional.empty();
        Optional<GatewayInput> parent = definitions.gateway(gateway.namespace(), gateway.name());
        if (parent.isEmpty()) return Optional.empty();
        for (ListenerSetInput.Claimant c : claimants) {
            if (parent.get().allowsListenerSetsFrom(c.set().namespace(), definitions::namespace)) return Optional.of(c);
        }
        return Optional.empty();
    }

    private static String protocolOf(Optional<ListenerSetInput.Claimant> claimant) {
        return claimant.map(c -> c.listener().protocol()).orElse(null);
    }

    /** Which listener of which set, as "namespace\nname\nlistener" (no Kubernetes name holds a newline). */
    private static String identity(Optional<ListenerSetInput.Claimant> claimant) {
        return claimant.map(c -> c.set().namespace() + "\n" + c.set().name() + "\n" + c.listener().name()).orElse(null);
    }
}
