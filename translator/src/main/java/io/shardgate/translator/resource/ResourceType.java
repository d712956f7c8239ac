package io.shardgate.translator.resource;

/** The Envoy v3 resource types Shardgate serves, in the order a client should apply them. */
public enum ResourceType {
    CLUSTER("type.googleapis.com/envoy.config.cluster.v3.Cluster", true),
    ENDPOINT("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment", false),
    LISTENER("type.googleapis.com/envoy.config.listener.v3.Listener", true),
    /** Scoped route configurations (SRDS): Envoy subscribes to them as a wildcard once a listener uses scoped routes. */
    SCOPED_ROUTE("type.googleapis.com/envoy.config.route.v3.ScopedRouteConfiguration", true),
    ROUTE("type.googleapis.com/envoy.config.route.v3.RouteConfiguration", false),
    SECRET("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret", false);

    private final String typeUrl;
    private final boolean wildcard;

    ResourceType(String typeUrl, boolean wildcard) {
        this.typeUrl = typeUrl;
        this.wildcard = wildcard;
    }

    public String typeUrl() {
        return typeUrl;
    }

    /** LDS, CDS and SRDS: a SotW response carries every resource of the type; the others are requested by name. */
    public boolean isWildcard() {
        return wildcard;
    }

    public static ResourceType ofTypeUrl(String typeUrl) {
        for (ResourceType t : values()) {
            if (t.typeUrl.equals(typeUrl)) return t;
        }
        return null;
    }
}
