package io.shardgate.node.engine;

import io.shardgate.translator.input.ObjectRef;
import java.util.HashSet;
import java.util.Set;

/** What one drain of input changes invalidated: the only things the engine re-translates. */
final class Dirty {
    final Set<DomainKey> domains = new HashSet<>();
    /** Services whose endpoints (ClusterLoadAssignments) must be rebuilt: the Service or one of its slices changed. */
    final Set<ObjectRef> endpoints = new HashSet<>();
    /** Secrets whose SDS resource must be rebuilt. */
    final Set<ObjectRef> secrets = new HashSet<>();
    /** Gateways created, removed or re-sharded. */
    final Set<String> gateways = new HashSet<>();
    /** Gateway API objects whose status may have changed: changed themselves, or something they name did. */
    final Set<ObjectRef> statuses = new HashSet<>();
    /** Services, Secrets and namespaces' ReferenceGrants ({@link InputIndex#referenceGrantsOf}) that changed. */
    final Set<ObjectRef> referenced = new HashSet<>();
    /** A GatewayClass changed: every Gateway API object's status may have. */
    boolean allStatuses;

    boolean isEmpty() {
        return domains.isEmpty() && endpoints.isEmpty() && secrets.isEmpty() && gateways.isEmpty() && statuses.isEmpty()
                && referenced.isEmpty() && !allStatuses;
    }
}
