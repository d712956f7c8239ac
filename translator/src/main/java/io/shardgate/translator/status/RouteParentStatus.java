package io.shardgate.translator.status;

import io.shardgate.translator.input.HttpRouteInput;
import java.util.List;

/** How one parentRef of an HTTPRoute fares: its Accepted and ResolvedRefs conditions (and PartiallyInvalid, if so). */
public record RouteParentStatus(HttpRouteInput.ParentRef parentRef, List<Condition> conditions) {
    public RouteParentStatus {
        conditions = List.copyOf(conditions);
    }
}
