package io.shardgate.translator.gatewayapi;

import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.ListenerSetInput;
import io.shardgate.translator.input.ObjectRef;
import java.util.List;
import java.util.Optional;

/**
 * Where listeners are declared: a Gateway, or a ListenerSet adding listeners to one. Both kinds of listener take
 * routes, select hosts and certificates by the same rules; what differs is whose namespace {@code Same} and a
 * certificateRef default to, who a ReferenceGrant must admit, and how conflicts are judged ({@link ListenerConflicts}).
 *
 * @param gateway the Gateway, or the ListenerSet's parent Gateway
 * @param set     null for a Gateway's own listeners
 */
record ListenerOwner(GatewayInput gateway, ListenerSetInput set) {

    static ListenerOwner of(GatewayInput gateway) {
        return new ListenerOwner(gateway, null);
    }

    /** The ListenerSet with its parent Gateway, if that Gateway exists (whatever its class, and whether it admits the set). */
    static Optional<ListenerOwner> of(ListenerSetInput set, GatewayDefinitions definitions) {
        ObjectRef parent = set.gateway();
        if (parent == null) return Optional.empty();
        return definitions.gateway(parent.namespace(), parent.name()).map(g -> new ListenerOwner(g, set));
    }

    boolean isGateway() {
        return set == null;
    }

    /** The Gateway admits the ListenerSet (always true of a Gateway's own listeners). */
    boolean isAdmitted(GatewayDefinitions definitions) {
        return isGateway() || gateway.allowsListenerSetsFrom(set.namespace(), definitions::namespace);
    }

    ObjectRef ref() {
        return isGateway() ? gateway.ref() : set.ref();
    }

    /** The namespace allowedRoutes {@code Same} and a certificateRef without namespace mean. */
    String namespace() {
        return isGateway() ? gateway.namespace() : set.namespace();
    }

    /** The kind a ReferenceGrant must name to admit the listeners' references. */
    String kind() {
        return isGateway() ? "Gateway" : "ListenerSet";
    }

    List<GatewayInput.Listener> listeners() {
        return isGateway() ? gateway.listeners() : set.listeners();
    }

    /** Gateway before ListenerSet, then by namespace and name: which of two equally specific listeners' certificate serves. */
    int compareTo(ListenerOwner other) {
        return ref().compareTo(other.ref());
    }

    @Override
    public String toString() {
        return kind() + " " + namespace() + "/" + (isGateway() ? gateway.name() : set.name());
    }
}
