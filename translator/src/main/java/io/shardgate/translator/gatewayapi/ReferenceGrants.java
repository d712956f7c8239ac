package io.shardgate.translator.gatewayapi;

import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.input.ReferenceGrantInput;

/**
 * Whether a Gateway API object may refer to an object in another namespace: only when a ReferenceGrant in the
 * referred object's namespace names the referring kind and namespace, and the referred kind (and name, when it
 * names one). A reference within one namespace needs no grant.
 */
final class ReferenceGrants {
    static final String CORE_GROUP = "";

    private ReferenceGrants() {}

    /**
     * @param fromKind a kind of the Gateway API group (HTTPRoute, Gateway, ListenerSet)
     * @param toGroup  "" (or null) for the core group
     */
    static boolean permits(DomainInputs inputs, String fromKind, String fromNamespace, String toGroup, String toKind,
            String toNamespace, String toName) {
        if (fromNamespace.equals(toNamespace)) return true;
        String group = toGroup == null ? CORE_GROUP : toGroup;
        for (ReferenceGrantInput grant : inputs.referenceGrants(toNamespace)) {
            boolean fromMatches = grant.from().stream().anyMatch(from -> from.group().equals(Attachments.GATEWAY_GROUP)
                    && from.kind().equals(fromKind) && from.namespace().equals(fromNamespace));
            if (!fromMatches) continue;
            boolean toMatches = grant.to().stream().anyMatch(to -> to.group().equals(group) && to.kind().equals(toKind)
                    && (to.name() == null || to.name().isEmpty() || to.name().equals(toName)));
            if (toMatches) return true;
        }
        return false;
    }
}
