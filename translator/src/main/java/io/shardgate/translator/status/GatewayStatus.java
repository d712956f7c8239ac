package io.shardgate.translator.status;

import io.shardgate.translator.input.ObjectRef;
import java.util.List;

/**
 * A Gateway's status, for a Gateway of a Shardgate class: its conditions (Accepted, Programmed), one entry per
 * listener, in the Gateway's order, and how many ListenerSets are attached to it (Accepted). The addresses are the
 * node's to add: they come from its configuration.
 */
public record GatewayStatus(ObjectRef gateway, long generation, List<Condition> conditions, List<ListenerStatus> listeners,
        int attachedListenerSets) {
    public GatewayStatus {
        conditions = List.copyOf(conditions);
        listeners = List.copyOf(listeners);
    }

    /** The status of a Gateway with no ListenerSet attached. */
    public GatewayStatus(ObjectRef gateway, long generation, List<Condition> conditions, List<ListenerStatus> listeners) {
        this(gateway, generation, conditions, listeners, 0);
    }
}
