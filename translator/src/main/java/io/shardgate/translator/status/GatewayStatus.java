package io.shardgate.translator.status;

import io.shardgate.translator.input.ObjectRef;
import java.util.List;

/**
 * A Gateway's status, for a Gateway of a Shardgate class: its conditions (Accepted, Programmed) and one entry per
 * listener, in the Gateway's order. The addresses are the node's to add: they come from its configuration.
 */
public record GatewayStatus(ObjectRef gateway, long generation, List<Condition> conditions, List<ListenerStatus> listeners) {
    public GatewayStatus {
        conditions = List.copyOf(conditions);
        listeners = List.copyOf(listeners);
    }
}
