package io.shardgate.translator;

import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.input.ListenerSetInput;
import io.shardgate.translator.status.GatewayClassStatus;
import io.shardgate.translator.status.GatewayStatus;
import io.shardgate.translator.status.HttpRouteStatus;
import io.shardgate.translator.status.ListenerRef;
import io.shardgate.translator.status.ListenerSetStatus;
import java.util.Map;
import java.util.Set;

import io.shardgate.translator.domain.ClaimedHosts;
import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.domain.DomainResult;
import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.input.EndpointSliceInput;
import io.shardgate.translator.input.HostClaim;
import io.shardgate.translator.input.ServiceInput;
import io.shardgate.translator.input.TlsSecretInput;
import io.shardgate.translator.input.GatewayLayout;
import io.shardgate.translator.resource.Composite;
import io.shardgate.translator.resource.Part;
import io.shardgate.translator.resource.XdsResource;
import java.util.List;
import java.util.Optional;

/**
 * The translator's whole surface. Pure and deterministic: the same inputs give byte-identical output on
 * every node; no I/O, no hidden state. The node calls it per changed domain / cluster / secret only.
 * Every resource it returns has already passed Envoy's protoc-gen-validate rules.
 */
public interface Translator {

    static Translator create(TranslatorConfig config) {
        return new io.shardgate.translator.envoy.EnvoyTranslator(config);
    }

    /**
     * The gateway a claim belongs to and the hosts it names there (lower-cased and sorted), or empty if no Shardgate
     * gateway selects it. For an Ingress, the gateway is the IngressClass name: spec.ingressClassName (or the legacy
     * kubernetes.io/ingress.class annotation) naming a Shardgate class, or no class at all while exactly one Shardgate
     * class is marked default; the hosts are its rules' and TLS entries' hosts, "*" for rules without host. For an
     * HTTPRoute, see docs/gateway-api.md.
     */
    Optional<ClaimedHosts> claimOf(HostClaim claim, GatewayDefinitions definitions);

    /**
     * Translates one domain of a gateway from the objects claiming it and what they reference.
     *
     * @param layout the gateway's: in the scoped layout a host that is not exact has no plain-HTTP virtual host
     */
    DomainResult translateDomain(String host, GatewayLayout layout, DomainInputs inputs);

    /**
     * Shardgate's entries of an HTTPRoute's status.parents: one per parentRef naming a Gateway of a Shardgate class
     * (docs/gateway-api.md, "Status"). Looks up what the route refers to through {@code inputs}.
     */
    HttpRouteStatus routeStatus(HttpRouteInput route, DomainInputs inputs);

    /**
     * The Shardgate gateway of a route's first parentRef that has an entry in {@link #routeStatus} (a Gateway of a
     * Shardgate class, or a ListenerSet of one), or empty when its status is none of Shardgate's.
     */
    Optional<String> firstJudgedParent(HttpRouteInput route, GatewayDefinitions definitions);

    /**
     * The status of a Gateway of a Shardgate class.
     *
     * @param attachedRoutes       listener name → how many routes are attached to it, over {@link #attachedListeners}
     * @param attachedListenerSets how many of its ListenerSets are Accepted ({@link ListenerSetStatus#isAccepted})
     */
    GatewayStatus gatewayStatus(GatewayInput gateway, Map<String, Integer> attachedRoutes, int attachedListenerSets,
            DomainInputs inputs);

    /**
     * The status of a ListenerSet, or empty when it is not Shardgate's to write (its Gateway is missing or of another
     * controller's class).
     *
     * @param attachedRoutes listener name → how many routes are attached to it, over {@link #attachedListeners}
     */
    Optional<ListenerSetStatus> listenerSetStatus(ListenerSetInput set, Map<String, Integer> attachedRoutes, DomainInputs inputs);

    /**
     * The Gateway and ListenerSet listeners an HTTPRoute is attached to, which their attachedRoutes count.
     *
     * @param servedBy the Shardgate gateway serving the route, as {@link #claimOf} says (null: none)
     */
    Set<ListenerRef> attachedListeners(HttpRouteInput route, String servedBy, GatewayDefinitions definitions);

    /** The status of a GatewayClass of the Shardgate controller. */
    GatewayClassStatus gatewayClassStatus(GatewayClassInput gatewayClass);

    /** The EDS cluster for a Service port spoken to with a protocol. */
    XdsResource cluster(ClusterKey key);

    /**
     * The ClusterLoadAssignment named {@code key.endpointsName()}: ready endpoints of the slices whose port
     * matches the Service port (by name), zone as locality. Empty (but valid) when the Service or slices
     * are missing, so Envoy answers 503 rather than rejecting anything.
     */
    XdsResource loadAssignment(ClusterKey key, Optional<ServiceInput> service, List<EndpointSliceInput> slices);

    /** The SDS secret named {@code namespace/name}, or the problems that keep it from being served. */
    SecretResult secret(TlsSecretInput secret);

    /**
     * The HTTPS listener; the node puts filter-chain {@link io.shardgate.translator.resource.Part}s into it: one per TLS
     * domain (classic), or only those of wildcard hosts and of the hosts they cover, behind the one chain that serves
     * every other domain by SNI (scoped).
     */
    Composite httpsListener(GatewayLayout layout);

    /** An empty plain-HTTP route configuration; the node puts one virtual-host part per domain into it. */
    Composite httpRouteConfiguration();

    /**
     * The plain-HTTP listener: one filter chain, with RDS to {@link #httpRouteConfiguration()} in the classic layout,
     * with scoped routes ({@link #httpScope}) in the scoped one.
     */
    XdsResource httpListener(GatewayLayout layout);

    /** A domain's plain-HTTP scope in the scoped layout: keyed by its host, naming {@link #httpScopeRoutes}'s resource. */
    XdsResource httpScope(String host);

    /**
     * The route configuration a domain's plain-HTTP scope names, holding its virtual host (the part
     * {@link #httpRouteConfiguration()} would hold in the classic layout). Built from the cached part's bytes: this is
     * what a route edit costs in the scoped layout.
     */
    XdsResource httpScopeRoutes(String host, Part virtualHost);

    /** A TLS domain's HTTPS scope in the scoped layout: keyed by its host (the SNI), naming its HTTPS route configuration. */
    XdsResource httpsScope(String host);

    /**
     * In the scoped layout, the filter chain of an exact TLS host that a wildcard chain covers (Envoy would otherwise pick
     * the wildcard's): matched by the host's SNI, naming the Secret, routing by the host's HTTPS route configuration.
     * Other exact hosts have no chain, so their translation builds none.
     */
    Part httpsChain(String host, ObjectRef secret);

    /** In the scoped layout: a Secret served under the host's name, the name Envoy asks for by SNI. */
    XdsResource hostSecret(String host, XdsResource secret);

    sealed interface SecretResult {
        record Valid(XdsResource resource) implements SecretResult {}

        record Invalid(List<Problem> problems) implements SecretResult {}
    }
}
