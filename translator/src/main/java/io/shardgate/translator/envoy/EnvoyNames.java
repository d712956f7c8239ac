package io.shardgate.translator.envoy;

/** The names Shardgate gives its Envoy resources; Envoys and the node find resources by them. */
public final class EnvoyNames {
    public static final String HTTPS_LISTENER = "https";
    public static final String HTTP_LISTENER = "http";
    /** The plain-HTTP route configuration, one virtual host per domain. */
    public static final String HTTP_ROUTE_CONFIGURATION = "http";
    /** The scoped routes of the plain-HTTP connection manager in the scoped layout (its SRDS subscription). */
    public static final String HTTP_SCOPED_ROUTES = "http";
    /** The scoped routes of the HTTPS connection manager in the scoped layout; scopes are named like route configurations. */
    public static final String HTTPS_SCOPED_ROUTES = "https";

    /**
     * The cluster a weighted share of an unusable backend names. It is never served (a cluster name always holds a
     * ':port'), so Envoy answers the route's cluster_not_found_response_code for the requests that share draws.
     */
    public static final String UNUSABLE_BACKEND = "unusable-backend";

    private EnvoyNames() {}

    /** The route configuration a domain's HTTPS filter chain names over RDS. */
    public static String httpsRouteConfiguration(String host) {
        return "https/" + host;
    }

    /** A domain's scope and the route configuration it names, in the scoped layout: one name for both. */
    public static String httpScope(String host) {
        return "http/" + host;
    }

    /** The SDS name of a TLS Secret. */
    public static String secret(String namespace, String name) {
        return namespace + "/" + name;
    }

    public static String secret(io.shardgate.translator.input.ObjectRef secret) {
        return secret(secret.namespace(), secret.name());
    }
}
