package io.shardgate.node.engine;

import io.shardgate.node.report.StatusWriter;
import io.shardgate.translator.domain.DomainResult;
import io.shardgate.translator.input.ObjectRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Which Ingresses this node serves (at least one of their domains, in a shard it owns), told to the
 * {@link StatusWriter} as it changes: served, not served any more, or released to another owner. Engine thread only.
 * Other claims among a domain's sources (HTTPRoutes) are skipped: their status is not written yet.
 */
final class IngressStatusTracker {
    private final StatusWriter status;
    /** Ingress → how many of its domains this node serves. */
    private final Map<ObjectRef, Integer> served = new HashMap<>();

    IngressStatusTracker(StatusWriter status) {
        this.status = status;
    }

    /**
     * A domain's result changed from {@code before} to {@code after} (either may be null).
     *
     * @param gatewayOf the gateway of an Ingress (null when it belongs to none)
     * @param shardsOf  the shards of all the Ingress's hosts, whichever this node owns
     */
    void changed(DomainResult before, DomainResult after, Function<ObjectRef, String> gatewayOf,
                 BiFunction<String, ObjectRef, SortedSet<Integer>> shardsOf) {
        for (ObjectRef ref : ingressesServedBy(before)) {
            if (decrement(ref)) status.notServed(ref);
        }
        for (ObjectRef ref : ingressesServedBy(after)) {
            served.merge(ref, 1, Integer::sum);
            // Every time, not only the first: an edit may have moved one of its hosts to another shard.
            // The writer ignores a repeated wish.
            String gateway = gatewayOf.apply(ref);
            if (gateway != null) status.served(ref, gateway, shardsOf.apply(gateway, ref));
        }
    }

    /** The shard serving a domain moved to another node: its Ingresses' status is the new owner's to write. */
    void released(DomainResult lost) {
        for (ObjectRef ref : ingressesServedBy(lost)) {
            if (decrement(ref)) status.released(ref);
        }
    }

    /** @return true when the Ingress has no served domain left */
    private boolean decrement(ObjectRef ref) {
        return served.computeIfPresent(ref, (k, n) -> n == 1 ? null : n - 1) == null;
    }

    private static List<ObjectRef> ingressesServedBy(DomainResult result) {
        if (!(result instanceof DomainResult.Served s)) return List.of();
        return s.sources().stream().filter(ref -> ref.kind() == ObjectRef.Kind.INGRESS).toList();
    }
}
