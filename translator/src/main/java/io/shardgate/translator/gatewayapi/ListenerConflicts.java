package io.shardgate.translator.gatewayapi;

import io.shardgate.translator.input.GatewayInput;
import java.util.Objects;
import java.util.Optional;

/**
 * Listeners of one Gateway in conflict, as the specification defines it: on one port, listeners of different
 * protocols (ProtocolConflict), or of one protocol with the same hostname (HostnameConflict). A listener in
 * conflict takes no routes; each of the listeners involved is reported.
 */
final class ListenerConflicts {

    private ListenerConflicts() {}

    /** The reason the listener is in conflict (ProtocolConflict, HostnameConflict), or empty. */
    static Optional<String> of(GatewayInput gateway, GatewayInput.Listener listener) {
        boolean hostnameClash = false;
        for (GatewayInput.Listener other : gateway.listeners()) {
            if (other.name().equals(listener.name()) || other.port() != listener.port()) continue;
            if (!other.protocol().equals(listener.protocol())) return Optional.of("ProtocolConflict");
            if (Objects.equals(other.hostname(), listener.hostname())) hostnameClash = true;
        }
        return hostnameClash ? Optional.of("HostnameConflict") : Optional.empty();
    }
}
