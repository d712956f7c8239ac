package io.shardgate.translator.gatewayapi;

import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.ListenerSetInput;
import java.util.Objects;
import java.util.Optional;

/**
 * Listeners in conflict, as the specification defines it: on one port, listeners of different protocols
 * (ProtocolConflict), or of one protocol with the same hostname (HostnameConflict). A listener in conflict takes no
 * routes.
 *
 * <p>Within a Gateway, each of the listeners involved is reported. A ListenerSet's listener comes after every listener
 * of its Gateway and of the ListenerSets before it (older, then by namespace and name): it is the one in conflict,
 * never the earlier one. It is judged against the Gateway's own listeners (64 at most), then by two lookups: the first
 * ListenerSet listener on its port (whose protocol the port has when the Gateway has no listener there) and the first
 * of its hostname on that port, which must be itself. No pass over the Gateway's other ListenerSets.
 */
final class ListenerConflicts {
    static final String PROTOCOL = "ProtocolConflict";
    static final String HOSTNAME = "HostnameConflict";

    private ListenerConflicts() {}

    /** The reason the listener is in conflict (ProtocolConflict, HostnameConflict), or empty. */
    static Optional<String> of(ListenerOwner owner, GatewayInput.Listener listener, GatewayDefinitions definitions) {
        GatewayInput gateway = owner.gateway();
        boolean gatewayOnPort = false;
        boolean hostnameClash = false;
        for (GatewayInput.Listener other : gateway.listeners()) {
            if (other.port() != listener.port() || (owner.isGateway() && other.name().equals(listener.name()))) continue;
            gatewayOnPort = true;
            if (!other.protocol().equals(listener.protocol())) return Optional.of(PROTOCOL);
            if (Objects.equals(other.hostname(), listener.hostname())) hostnameClash = true;
        }
        if (hostnameClash) return Optional.of(HOSTNAME);
        if (owner.isGateway()) return Optional.empty();
        if (!gatewayOnPort) {
            Optional<ListenerSetInput.Claimant> first = definitions.firstListenerSetListener(gateway.ref(), listener.port());
            if (first.isPresent() && !first.get().listener().protocol().equals(listener.protocol())) return Optional.of(PROTOCOL);
        }
        Optional<ListenerSetInput.Claimant> first = definitions.firstListenerSetListener(gateway.ref(), listener.port(), listener.hostname());
        if (first.isPresent() && !first.get().is(owner.set(), listener)) return Optional.of(HOSTNAME);
        return Optional.empty();
    }
}
