package io.shardgate.bench.workload;

import io.shardgate.translator.input.GatewayLayout;

/**
 * The shape of a multi-tenant platform: {@code domains} Ingresses of one host each, spread over
 * {@code namespaces} tenants, each tenant with {@code servicesPerNamespace} Services (one EndpointSlice each)
 * and one wildcard TLS certificate that its TLS domains use.
 *
 * @param tlsShare fraction of domains with TLS (0..1)
 * @param shards shards of the gateway (its IngressClass's shardgate.io/shards)
 * @param layout the gateway's layout (its class's shardgate.io/layout)
 */
public record WorkloadSpec(String gateway, int domains, int namespaces, double tlsShare, int servicesPerNamespace,
        int shards, long seed, Claims claims, GatewayLayout layout) {

    /** The kind of object that claims each domain. */
    public enum Claims {
        /** An Ingress per domain, of the gateway's IngressClass. */
        INGRESS,
        /**
         * An HTTPRoute per domain, attached to its namespace's Gateway of the gateway's GatewayClass: an HTTP listener,
         * and an HTTPS listener for the namespace's wildcard with its certificate (TLS domains attach to both).
         */
        HTTP_ROUTE,
        /**
         * An HTTPRoute per domain, as {@link #HTTP_ROUTE}, but its namespace's Gateway has the HTTP listener only and admits
         * its namespace's ListenerSets: each TLS domain has its own ListenerSet, with one HTTPS listener for its host and
         * the namespace's certificate, and its route attaches to the Gateway's HTTP listener and to that set.
         */
        LISTENER_SET;

        /** HTTPRoutes claim the domains. */
        public boolean isGatewayApi() {
            return this != INGRESS;
        }

        /** As --claims names it. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace("_", "");
        }

        /** @throws IllegalArgumentException naming the labels there are */
        public static Claims of(String label) {
            for (Claims c : values()) if (c.label().equals(label)) return c;
            throw new IllegalArgumentException("--claims: expected ingress, httproute or listenerset, not " + label);
        }
    }

    public WorkloadSpec(String gateway, int domains, int namespaces, double tlsShare, int servicesPerNamespace, int shards, long seed) {
        this(gateway, domains, namespaces, tlsShare, servicesPerNamespace, shards, seed, Claims.INGRESS, GatewayLayout.CLASSIC);
    }

    public WorkloadSpec {
        if (domains < 1 || namespaces < 1 || servicesPerNamespace < 1 || shards < 1) {
            throw new IllegalArgumentException("domains, namespaces, services and shards must be positive");
        }
        if (tlsShare < 0 || tlsShare > 1) throw new IllegalArgumentException("tlsShare must be in [0, 1]");
    }

    /** One namespace per 100 domains (at least 10), 5 Services each, half the domains with TLS. */
    public static WorkloadSpec of(int domains, int shards) {
        return new WorkloadSpec("public", domains, Math.max(10, domains / 100), 0.5, 5, shards, 42);
    }

    public WorkloadSpec withTlsShare(double share) {
        return new WorkloadSpec(gateway, domains, namespaces, share, servicesPerNamespace, shards, seed, claims, layout);
    }

    public WorkloadSpec withNamespaces(int count) {
        return new WorkloadSpec(gateway, domains, count, tlsShare, servicesPerNamespace, shards, seed, claims, layout);
    }

    public WorkloadSpec withSeed(long value) {
        return new WorkloadSpec(gateway, domains, namespaces, tlsShare, servicesPerNamespace, shards, value, claims, layout);
    }

    /** The layout the gateway's class chooses (shardgate.io/layout). */
    public WorkloadSpec withLayout(GatewayLayout value) {
        return new WorkloadSpec(gateway, domains, namespaces, tlsShare, servicesPerNamespace, shards, seed, claims, value);
    }

    public WorkloadSpec withClaims(Claims kind) {
        return new WorkloadSpec(gateway, domains, namespaces, tlsShare, servicesPerNamespace, shards, seed, kind, layout);
    }
}
