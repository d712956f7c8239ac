package io.shardgate.node.engine;

import io.shardgate.node.report.GatewayApiStatus;
import io.shardgate.translator.Translator;
import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ListenerSetInput;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.status.GatewayStatus;
import io.shardgate.translator.status.HttpRouteStatus;
import io.shardgate.translator.status.ListenerSetStatus;
import io.shardgate.translator.status.ListenerRef;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the status of Gateway API objects written (docs/gateway-api.md, "Status"). Each object's status is written by
 * one node: the owner of the shard its status key ({@code kind/namespace/name}) hashes to, in the gateway the object
 * belongs to. So the writing is spread over the nodes as the domains are, and moves with the shards. The status is a
 * pure function of the inputs ({@link Translator#routeStatus} and the others), recomputed only for the objects a
 * drain changed, or whose references (Services, Secrets, ReferenceGrants) did. Engine thread only.
 */
final class GatewayApiStatusTracker {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GatewayApiStatusTracker.class);
    private final Translator translator;
    private final GatewayApiStatus output;
    /** The objects whose status this node writes now. */
    private final Set<ObjectRef> writing = new HashSet<>();
    /**
     * Every route's attached listeners, and their counts per Gateway, kept for all routes (not only those whose status
     * this node writes): a Gateway's attachedRoutes then costs its listeners, not its routes.
     */
    private final Map<ObjectRef, Set<ListenerRef>> attachments = new HashMap<>();
    private final Map<ObjectRef, Map<String, Integer>> attachedRoutes = new HashMap<>();
    /** Service, Secret or a namespace's ReferenceGrants → the objects whose last status looked it up. */
    private final Map<ObjectRef, Set<ObjectRef>> dependents = new HashMap<>();
    private final Map<ObjectRef, Set<ObjectRef>> dependencies = new HashMap<>();
    /**
     * The Accepted ListenerSets and their Gateway, kept for all sets (not only those whose status this node writes), so a
     * Gateway's attachedListenerSets is a count, not a pass over its sets.
     */
    private final Map<ObjectRef, ObjectRef> acceptedSets = new HashMap<>();
    private final Map<ObjectRef, Integer> acceptedSetCounts = new HashMap<>();
    /** What each set's acceptance looked up, apart from its status (which only its writer computes). */
    private final Map<ObjectRef, Set<ObjectRef>> acceptanceDependents = new HashMap<>();
    private final Map<ObjectRef, Set<ObjectRef>> acceptanceDependencies = new HashMap<>();
    /** ListenerSets whose acceptance waits for a Secret's key material to be fetched. */
    private final Set<ObjectRef> acceptanceAwaitingMaterial = new HashSet<>();
    /** Objects whose status waits for a Secret's key material to be fetched. */
    private final Set<ObjectRef> awaitingMaterial = new HashSet<>();

    GatewayApiStatusTracker(Translator translator, GatewayApiStatus output) {
        this.translator = translator;
        this.output = output;
    }

    /**
     * Brings the status of what changed up to date. A status that needs a Secret's withheld key material (a Gateway's
     * certificate is judged by its content) is not written until the material is back: the Secrets to fetch are
     * returned, and their arrival makes the status computed again.
     *
     * @param everything re-judge every object: the shards this node owns changed, or the node just synced
     * @return the Secrets whose key material some status waits for
     */
    Set<ObjectRef> refresh(Dirty dirty, boolean everything, InputIndex index, OwnedShards owned) {
        Set<ObjectRef> toFetch = new HashSet<>();
        if (output == GatewayApiStatus.NONE) return toFetch; // no status at all (the file source): nothing is computed
        Set<ObjectRef> candidates = new HashSet<>();
        if (everything || dirty.allStatuses) {
            candidates.addAll(index.gatewayApiObjects());
            // What is gone from the index but still counted: whose status this node wrote, routes attached, sets accepted.
            candidates.addAll(writing);
            candidates.addAll(attachments.keySet());
            candidates.addAll(acceptedSets.keySet());
        } else {
            candidates.addAll(dirty.statuses);
            for (ObjectRef ref : dirty.referenced) {
                candidates.addAll(dependents.getOrDefault(ref, Set.of()));
                candidates.addAll(acceptanceDependents.getOrDefault(ref, Set.of()));
            }
        }
        for (ObjectRef ref : List.copyOf(candidates)) {
            if (ref.kind() == ObjectRef.Kind.HTTP_ROUTE) candidates.addAll(reattach(ref, index));
        }
        for (ObjectRef ref : List.copyOf(candidates)) {
            if (ref.kind() == ObjectRef.Kind.LISTENER_SET) candidates.addAll(rejudgeAcceptance(ref, index, toFetch));
        }
        for (ObjectRef ref : candidates) {
            try {
                refresh(ref, index, owned, toFetch);
            } catch (RuntimeException e) {
                // A status that cannot be written (an address the writer refuses) costs that object's status only.
                log.warn("not writing the status of {}: {}", ref, e.toString());
            }
        }
        return toFetch;
    }

    /** Whether some status is not written yet because it waits for key material. */
    boolean awaitsMaterial() {
        return !awaitingMaterial.isEmpty() || !acceptanceAwaitingMaterial.isEmpty();
    }

    /** Whether a status this node writes judges the Secret by its content, so its key material must stay here. */
    boolean judgesByContent(ObjectRef secret) {
        return dependents.getOrDefault(secret, Set.of()).stream().anyMatch(writing::contains);
    }

    private void refresh(ObjectRef ref, InputIndex index, OwnedShards owned, Set<ObjectRef> toFetch) {
        awaitingMaterial.remove(ref);
        Optional<InputObject> object = index.gatewayApiObject(ref);
        String gateway = object.map(o -> gatewayOf(o, index)).orElse(null);
        if (gateway == null || owned.ownedShardOf(gateway, statusKey(ref)) == null) {
            if (!writing.remove(ref)) return;
            record(ref, Set.of());
            if (object.isPresent() && gateway == null && object.get() instanceof HttpRouteInput route) {
                // It names none of Shardgate's Gateways any more: the entries written for them go.
                output.writer().route(new HttpRouteStatus(ref, route.generation(), List.of()));
            }
            output.writer().released(ref);
            return;
        }
        writing.add(ref);
        RecordingInputs inputs = new RecordingInputs(index, gateway);
        InputObject o = object.get();
        if (o instanceof HttpRouteInput route) {
            output.writer().route(translator.routeStatus(route, inputs));
        } else if (o instanceof GatewayInput g) {
            GatewayStatus status = translator.gatewayStatus(g, attachedRoutes.getOrDefault(ref, Map.of()),
                    acceptedSetCounts.getOrDefault(ref, 0), inputs);
            if (inputs.withheld().isEmpty()) {
                output.writer().gateway(status, output.addresses(gateway, owned.allShardsOf(gateway)));
            } else {
                toFetch.addAll(inputs.withheld());
                awaitingMaterial.add(ref);
            }
        } else if (o instanceof GatewayClassInput c) {
            output.writer().gatewayClass(translator.gatewayClassStatus(c));
        } else if (o instanceof ListenerSetInput set) {
            Optional<ListenerSetStatus> status = translator.listenerSetStatus(set, attachedRoutes.getOrDefault(ref, Map.of()), inputs);
            if (inputs.withheld().isEmpty()) {
                status.ifPresent(output.writer()::listenerSet);
            } else {
                toFetch.addAll(inputs.withheld());
                awaitingMaterial.add(ref);
            }
        }
        record(ref, inputs.lookedUp());
    }

    /**
     * The Shardgate gateway whose shards decide who writes the object's status, or null when its status is not
     * Shardgate's: a class of another controller, a Gateway of such a class, a route naming none of Shardgate's
     * Gateways. A route served by a gateway belongs to it; a route only refused belongs to its first Shardgate parent's.
     */
    private String gatewayOf(InputObject object, InputIndex index) {
        if (object instanceof GatewayClassInput c) return c.isShardgate() ? c.name() : null;
        if (object instanceof GatewayInput g) return shardgateClass(g.gatewayClassName(), index);
        if (object instanceof ListenerSetInput set) {
            return set.gateway() == null ? null : index.gateway(set.gateway().namespace(), set.gateway().name())
                    .map(g -> shardgateClass(g.gatewayClassName(), index)).orElse(null);
        }
        if (!(object instanceof HttpRouteInput route)) return null;
        String served = index.gatewayOfClaim(route.ref());
        return served != null ? served : translator.firstJudgedParent(route, index).orElse(null);
    }

    private static String shardgateClass(String className, InputIndex index) {
        return index.gatewayClass(className).filter(GatewayClassInput::isShardgate).map(GatewayClassInput::name).orElse(null);
    }

    /** Brings a route's attached listeners up to date; returns the Gateways whose attachedRoutes changed. */
    private Set<ObjectRef> reattach(ObjectRef route, InputIndex index) {
        Set<ListenerRef> now = index.gatewayApiObject(route).map(o -> translator.attachedListeners((HttpRouteInput) o,
                index.gatewayOfClaim(route), index)).orElse(Set.of());
        Set<ListenerRef> before = now.isEmpty() ? attachments.remove(route) : attachments.put(route, now);
        if (before == null) before = Set.of();
        if (before.equals(now)) return Set.of();
        Set<ObjectRef> changed = new HashSet<>();
        for (ListenerRef gone : before) {
            if (now.contains(gone)) continue;
            Map<String, Integer> counts = attachedRoutes.get(gone.gateway());
            if (counts.merge(gone.listener(), -1, Integer::sum) == 0) counts.remove(gone.listener());
            if (counts.isEmpty()) attachedRoutes.remove(gone.gateway());
            changed.add(gone.gateway());
        }
        for (ListenerRef added : now) {
            if (before.contains(added)) continue;
            attachedRoutes.computeIfAbsent(added.gateway(), g -> new HashMap<>()).merge(added.listener(), 1, Integer::sum);
            changed.add(added.gateway());
        }
        return changed;
    }

    /**
     * Whether the ListenerSet is Accepted now, kept for every set; returns its Gateway (old and new) when that changed, as
     * the Gateway's attachedListenerSets did.
     */
    private Set<ObjectRef> rejudgeAcceptance(ObjectRef set, InputIndex index, Set<ObjectRef> toFetch) {
        acceptanceAwaitingMaterial.remove(set);
        Optional<InputObject> object = index.gatewayApiObject(set);
        String gateway = object.map(o -> gatewayOf(o, index)).orElse(null);
        ObjectRef now = null;
        if (gateway != null) {
            RecordingInputs inputs = new RecordingInputs(index, gateway);
            ListenerSetInput input = (ListenerSetInput) object.get();
            boolean accepted = translator.listenerSetStatus(input, attachedRoutes.getOrDefault(set, Map.of()), inputs)
                    .map(ListenerSetStatus::isAccepted).orElse(false);
            if (accepted) now = input.gateway();
            record(set, inputs.lookedUp(), acceptanceDependents, acceptanceDependencies);
            if (!inputs.withheld().isEmpty()) {
                // Judged without a certificate's content: fetched (and dropped again after), judged again when it is back.
                toFetch.addAll(inputs.withheld());
                acceptanceAwaitingMaterial.add(set);
                return Set.of();
            }
        } else {
            record(set, Set.of(), acceptanceDependents, acceptanceDependencies);
        }
        ObjectRef before = now == null ? acceptedSets.remove(set) : acceptedSets.put(set, now);
        if (java.util.Objects.equals(before, now)) return Set.of();
        if (before != null && acceptedSetCounts.merge(before, -1, Integer::sum) == 0) acceptedSetCounts.remove(before);
        if (now != null) acceptedSetCounts.merge(now, 1, Integer::sum);
        Set<ObjectRef> changed = new HashSet<>();
        if (before != null) changed.add(before);
        if (now != null) changed.add(now);
        return changed;
    }

    /** What the object's writer is chosen by: its kind, namespace and name. */
    static String statusKey(ObjectRef ref) {
        return ref.kind() + "/" + ref.namespace() + "/" + ref.name();
    }

    private void record(ObjectRef object, Set<ObjectRef> lookedUp) {
        record(object, lookedUp, dependents, dependencies);
    }

    private static void record(ObjectRef object, Set<ObjectRef> lookedUp, Map<ObjectRef, Set<ObjectRef>> dependents,
            Map<ObjectRef, Set<ObjectRef>> dependencies) {
        Set<ObjectRef> old = lookedUp.isEmpty() ? dependencies.remove(object) : dependencies.put(object, Set.copyOf(lookedUp));
        if (old != null) {
            for (ObjectRef r : old) {
                Set<ObjectRef> objects = dependents.get(r);
                if (objects != null && objects.remove(object) && objects.isEmpty()) dependents.remove(r);
            }
        }
        for (ObjectRef r : lookedUp) dependents.computeIfAbsent(r, k -> new HashSet<>()).add(object);
    }
}
