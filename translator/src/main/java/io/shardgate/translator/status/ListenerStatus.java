package io.shardgate.translator.status;

import java.util.List;

/**
 * One listener's status on a Gateway.
 *
 * @param supportedKinds the route kinds of group gateway.networking.k8s.io it takes (HTTPRoute, or none)
 * @param attachedRoutes how many routes are attached to it, whatever their other conditions
 */
public record ListenerStatus(String name, List<String> supportedKinds, int attachedRoutes, List<Condition> conditions) {
    public ListenerStatus {
        supportedKinds = List.copyOf(supportedKinds);
        conditions = List.copyOf(conditions);
    }
}
