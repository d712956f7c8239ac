package io.shardgate.translator.status;

import io.shardgate.translator.input.ObjectRef;
import java.util.List;

/**
 * The entries of an HTTPRoute's {@code status.parents} that Shardgate's controller owns: one per parentRef naming a
 * Gateway of a Shardgate class. Empty: the route has none, and any entry Shardgate wrote before is to be removed.
 * Entries of other controllers are not Shardgate's to touch.
 */
public record HttpRouteStatus(ObjectRef route, long generation, List<RouteParentStatus> parents) {
    public HttpRouteStatus {
        parents = List.copyOf(parents);
    }
}
