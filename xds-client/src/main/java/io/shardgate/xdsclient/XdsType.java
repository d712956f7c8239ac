package io.shardgate.xdsclient;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.ScopedRouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;

/** The resource types the client follows, in the order Envoy subscribes to them. */
public enum XdsType {
    CLUSTER("type.googleapis.com/envoy.config.cluster.v3.Cluster", true, "cluster", Cluster.parser()),
    ENDPOINT("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment", false, "cluster load assignment",
            ClusterLoadAssignment.parser()),
    LISTENER("type.googleapis.com/envoy.config.listener.v3.Listener", true, "listener", Listener.parser()),
    /** Subscribed as a whole, but only once a listener's connection manager uses scoped routes over SRDS. */
    SCOPED_ROUTE("type.googleapis.com/envoy.config.route.v3.ScopedRouteConfiguration", true, "scoped route configuration",
            ScopedRouteConfiguration.parser()),
    ROUTE("type.googleapis.com/envoy.config.route.v3.RouteConfiguration", false, "route configuration",
            RouteConfiguration.parser()),
    SECRET("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret", false, "secret", Secret.parser());

    private final String typeUrl;
    private final boolean wildcard;
    private final String noun;
    private final Parser<? extends Message> parser;

    XdsType(String typeUrl, boolean wildcard, String noun, Parser<? extends Message> parser) {
        this.typeUrl = typeUrl;
        this.wildcard = wildcard;
        this.noun = noun;
        this.parser = parser;
    }

    public String typeUrl() {
        return typeUrl;
    }

    /**
     * LDS, CDS and SRDS: subscribed as a whole; the others are subscribed by the names resources of the wildcard types
     * reference.
     */
    public boolean isWildcard() {
        return wildcard;
    }

    /** LDS and CDS: subscribed when the stream opens; SRDS waits for a listener that uses it, as Envoy does. */
    boolean isSubscribedFromStart() {
        return wildcard && this != SCOPED_ROUTE;
    }

    /** How Envoy names the type in its error messages ("Error adding/updating listener(s) ..."). */
    String noun() {
        return noun;
    }

    Message parse(ByteString body) {
        try {
            return parser.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a valid " + noun + ": " + e.getMessage(), e);
        }
    }

    public static XdsType ofTypeUrl(String typeUrl) {
        for (XdsType type : values()) {
            if (type.typeUrl.equals(typeUrl)) return type;
        }
        return null;
    }
}
