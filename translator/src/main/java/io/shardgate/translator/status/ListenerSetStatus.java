package io.shardgate.translator.status;

import io.shardgate.translator.input.ObjectRef;
import java.util.List;

/**
 * A ListenerSet's status, for a ListenerSet of a Gateway of a Shardgate class: its conditions (Accepted, Programmed)
 * and one entry per listener, in the set's order (none while its Gateway does not admit it).
 */
public record ListenerSetStatus(ObjectRef listenerSet, long generation, List<Condition> conditions, List<ListenerStatus> listeners) {
    public ListenerSetStatus {
        conditions = List.copyOf(conditions);
        listeners = List.copyOf(listeners);
    }

    /** Its Accepted condition is True: what its Gateway's attachedListenerSets counts. */
    public boolean isAccepted() {
        return conditions.stream().anyMatch(c -> c.type().equals("Accepted") && c.status());
    }
}
