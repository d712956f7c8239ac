package io.shardgate.xdsclient;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A read-only view of a client's state, handed to {@link XdsClient#awaitState} conditions. Valid only during
 * the call (it reads the live state under the client's lock); copy what must outlive it.
 */
public interface XdsState {

    /** The resources held of a type, by name. */
    Map<String, ReceivedResource> resources(XdsType type);

    default ReceivedResource resource(XdsType type, String name) {
        return resources(type).get(name);
    }

    /** The version held of a resource, or null. */
    default String version(XdsType type, String name) {
        ReceivedResource r = resource(type, name);
        return r == null ? null : r.version();
    }

    /** The names subscribed to (for RDS, EDS and SDS: those the held listeners and clusters reference). */
    Set<String> subscriptions(XdsType type);

    /** The latest responses, oldest first. */
    List<ReceivedResponse> responses();

    /** 1 while reading is paused and a response has arrived unread (it is handled on resume), else 0. */
    int unreadResponses();

    long acksSent();

    long nacksSent();
}
