package io.shardgate.translator.status;

import io.shardgate.translator.input.ObjectRef;

/**
 * One listener of one Gateway or ListenerSet: what a route is attached to, and what a listener's attachedRoutes counts.
 *
 * @param gateway the Gateway or the ListenerSet declaring the listener (listener names are unique in each, not across)
 */
public record ListenerRef(ObjectRef gateway, String listener) implements Comparable<ListenerRef> {
    @Override
    public int compareTo(ListenerRef o) {
        int c = gateway.compareTo(o.gateway);
        return c != 0 ? c : listener.compareTo(o.listener);
    }
}
