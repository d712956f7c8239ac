package io.shardgate.node.feature;

import static io.shardgate.node.testing.Fixtures.endpointSlice;
import static io.shardgate.node.testing.Fixtures.service;
import static io.shardgate.node.testing.Fixtures.tlsSecret;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeader;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilterBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerTLSConfigBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrantFrom;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrantFromBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrantTo;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrantToBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantBuilder;
import io.shardgate.node.engine.TestCertificates;
import io.shardgate.node.testing.Conditions;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.ReceivedResponse;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsState;
import io.shardgate.xdsclient.XdsType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Gateway API objects go into the mock API server; an Envoy-like client on a real gRPC stream must receive what they
 * ask for. Each test is named after the core conformance test it mirrors and uses its own GatewayClass (a Shardgate
 * gateway) and namespaces, so they share one API server and one node. Each asserts what Envoy receives and the
 * status written (docs/gateway-api.md, "Status").
 */
class GatewayApiFeatureTest extends OneNodeOnMockApiServer {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

    /** A fresh Shardgate gateway (GatewayClass), and the namespaces of one test. */
    private record Tenant(String gateway, String ns, String infra, String other) {
        String host(String name) {
            return name + "." + ns + ".example.com";
        }

        List<String> hosts(String... names) {
            return Stream.of(names).map(this::host).toList();
        }

        /** The cluster of port 80 of a Service of the tenant's namespace. */
        String cluster(String service) {
            return ns + "/" + service + ":80";
        }

        /** The same tenant with its infra namespace as its own: its routes, Services and hosts are the Gateway's namespace's. */
        Tenant inInfra() {
            return new Tenant(gateway, infra, infra, other);
        }
    }

    private static Tenant tenant() {
        int n = SEQUENCE.incrementAndGet();
        Tenant t = new Tenant("gwapi-" + n, "apps-" + n, "infra-" + n, "other-" + n);
        apply(new GatewayClassBuilder().withMetadata(new ObjectMetaBuilder().withName(t.gateway()).build())
                .withNewSpec().withControllerName("shardgate.io/controller").endSpec().build());
        Conditions.await("gateway " + t.gateway() + " known to the node", WAIT,
                () -> node.node().directory().gateways().containsKey(t.gateway()));
        return t;
    }

    private static XdsClient envoy(Tenant t) {
        return node.connect(Mode.DELTA, "envoy-" + t.gateway(), t.gateway(), 0);
    }

    private static void await(XdsClient client, String what, Predicate<XdsState> condition) throws InterruptedException {
        assertThat(client.awaitState(condition, WAIT)).as("%s; client holds: %s", what, client.describe()).isTrue();
    }

    /** Services with a port 80 named http. */
    private static void services(String namespace, String... names) {
        for (String name : names) apply(service(namespace, name).port("http", 80).build());
    }

    /** A kubernetes.io/tls Secret with a certificate for the host, valid now. */
    private static void certificate(String namespace, String name, String host) {
        TestCertificates.Pem pem = TestCertificates.selfSigned(List.of(host));
        apply(tlsSecret(namespace, name, pem.certificate().toStringUtf8(), pem.privateKey().toStringUtf8()));
    }

    // ---- Gateways ----

    /** A Gateway "edge" in the tenant's infra namespace with the given listeners. */
    private static void gateway(Tenant t, io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener... listeners) {
        gateway(t, "edge", listeners);
    }

    private static void gateway(Tenant t, String name, io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener... listeners) {
        apply(new GatewayBuilder().withMetadata(new ObjectMetaBuilder().withNamespace(t.infra()).withName(name).build())
                .withNewSpec().withGatewayClassName(t.gateway()).withListeners(listeners).endSpec().build());
    }

    private static io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener httpListener() {
        return httpListener("http", null);
    }

    /** An HTTP listener on port 80 admitting routes of every namespace. */
    private static io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener httpListener(String name, String hostname) {
        return admittingAll(new ListenerBuilder().withName(name).withPort(80).withProtocol("HTTP").withHostname(hostname));
    }

    private static io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener httpsListener(String hostname, String secretNamespace,
            String secretName) {
        return httpsListener("https", hostname, new SecretObjectReferenceBuilder().withNamespace(secretNamespace).withName(secretName).build());
    }

    /** An HTTPS listener on port 443 terminating TLS with these certificates, admitting routes of every namespace. */
    private static io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener httpsListener(String name, String hostname,
            SecretObjectReference... certificates) {
        return admittingAll(new ListenerBuilder().withName(name).withPort(443).withProtocol("HTTPS").withHostname(hostname)
                .withTls(new ListenerTLSConfigBuilder().withCertificateRefs(certificates).build()));
    }

    /** An HTTP listener admitting routes of its Gateway's namespace only (allowedRoutes left to its default, Same). */
    private static io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener ownNamespaceListener(String name, int port) {
        return new ListenerBuilder().withName(name).withPort(port).withProtocol("HTTP").build();
    }

    private static io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener admittingAll(ListenerBuilder listener) {
        return listener.withNewAllowedRoutes().withNewNamespaces().withFrom("All").endNamespaces().endAllowedRoutes().build();
    }

    // ---- HTTPRoutes ----

    /** An HTTPRoute of the tenant's namespace for one host, forwarding everything to one Service. */
    private static void route(Tenant t, String name, String sectionName, String host, String backendNamespace, String backend) {
        route(t, name, sectionName, host, backend(backendNamespace, backend, null));
    }

    /** An HTTPRoute of the tenant's namespace on the listener of the tenant's Gateway, for one host, to one backend. */
    private static void route(Tenant t, String name, String sectionName, String host, HTTPBackendRef backend) {
        routeOn(t, name, sectionName, List.of(host), rule(List.of(), backend));
    }

    /** An HTTPRoute of the tenant's namespace on a listener of its Gateway "edge" (any listener: sectionName null). */
    private static void routeOn(Tenant t, String name, String sectionName, List<String> hostnames, HTTPRouteRule... rules) {
        httpRoute(t, name, List.of(parent(t, "edge", sectionName)), hostnames, rules);
    }

    private static void httpRoute(Tenant t, String name, List<ParentReference> parents, List<String> hostnames, HTTPRouteRule... rules) {
        apply(new HTTPRouteBuilder().withMetadata(new ObjectMetaBuilder().withNamespace(t.ns()).withName(name).build())
                .withNewSpec().withParentRefs(parents).withHostnames(hostnames).withRules(rules).endSpec().build());
    }

    /** A parentRef to a Gateway of the tenant's infra namespace. */
    private static ParentReference parent(Tenant t, String gateway, String sectionName) {
        return new ParentReferenceBuilder().withNamespace(t.infra()).withName(gateway).withSectionName(sectionName).build();
    }

    private static HTTPRouteRule rule(HTTPRouteMatch match, HTTPBackendRef... backends) {
        return rule(List.of(match), backends);
    }

    /** A rule matching any of the matches (none: every path). */
    private static HTTPRouteRule rule(List<HTTPRouteMatch> matches, HTTPBackendRef... backends) {
        return new HTTPRouteRuleBuilder().withMatches(matches).withBackendRefs(backends).build();
    }

    private static HTTPRouteRule filtered(HTTPRouteRule rule, HTTPRouteFilter filter) {
        return new HTTPRouteRuleBuilder(rule).withFilters(filter).build();
    }

    private static HTTPRouteMatch exact(String path) {
        return new HTTPRouteMatchBuilder().withNewPath().withType("Exact").withValue(path).endPath().build();
    }

    private static HTTPRouteMatch prefix(String path) {
        return new HTTPRouteMatchBuilder().withNewPath().withType("PathPrefix").withValue(path).endPath().build();
    }

    /** A match of every path with these headers (name, value, name, value, ...). */
    private static HTTPRouteMatch headers(String... namesAndValues) {
        HTTPRouteMatchBuilder match = new HTTPRouteMatchBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            match.addNewHeader().withName(namesAndValues[i]).withValue(namesAndValues[i + 1]).endHeader();
        }
        return match.build();
    }

    private static HTTPBackendRef backend(String service) {
        return backend(null, service, null);
    }

    /** Port 80 of a Service (namespace null: the route's), with that weight (null: unset). */
    private static HTTPBackendRef backend(String namespace, String service, Integer weight) {
        return new HTTPBackendRefBuilder().withNamespace(namespace).withName(service).withPort(80).withWeight(weight).build();
    }

    private static HTTPRouteFilter redirect(String hostname, Integer statusCode) {
        return new HTTPRouteFilterBuilder().withType("RequestRedirect")
                .withNewRequestRedirect().withHostname(hostname).withStatusCode(statusCode).endRequestRedirect().build();
    }

    private static HTTPRouteFilter requestHeaders(List<HTTPHeader> set, List<HTTPHeader> add, String... remove) {
        return new HTTPRouteFilterBuilder().withType("RequestHeaderModifier")
                .withNewRequestHeaderModifier().withSet(set).withAdd(add).withRemove(remove).endRequestHeaderModifier().build();
    }

    private static HTTPHeader header(String name, String value) {
        return new HTTPHeaderBuilder().withName(name).withValue(value).build();
    }

    // ---- ReferenceGrants ----

    private static ReferenceGrant grant(String namespace, String fromKind, String fromNamespace, String toKind) {
        return grant(namespace, "grant", from(fromKind, fromNamespace), to(toKind, null));
    }

    private static ReferenceGrant grant(String namespace, String name, ReferenceGrantFrom from, ReferenceGrantTo to) {
        return new ReferenceGrantBuilder().withMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build())
                .withNewSpec().withFrom(from).withTo(to).endSpec().build();
    }

    private static ReferenceGrantFrom from(String kind, String namespace) {
        return new ReferenceGrantFromBuilder().withGroup(GATEWAY_GROUP).withKind(kind).withNamespace(namespace).build();
    }

    /** To objects of the core group of that kind, or (name null) to all of them. */
    private static ReferenceGrantTo to(String kind, String name) {
        return new ReferenceGrantToBuilder().withGroup("").withKind(kind).withName(name).build();
    }

    /** What a test checks at each stage. */
    private interface Check {
        void run() throws Exception;
    }

    /**
     * Grants that each miss the valid one by one field (their namespace; from group, kind or namespace; to group, kind
     * or name) permit nothing. Then the valid one permits: since the node reads grants in order, it had read the near
     * misses when it honoured the valid one, and refuses again when the valid one is deleted.
     */
    private static void nearMissesPermitNothing(ReferenceGrant valid, String elsewhere, Check refused, Check permitted) throws Exception {
        String namespace = valid.getMetadata().getNamespace();
        ReferenceGrantFrom from = valid.getSpec().getFrom().get(0);
        ReferenceGrantTo to = valid.getSpec().getTo().get(0);
        List.of(grant(elsewhere, "wrong-namespace", from, to),
                grant(namespace, "wrong-from-group", new ReferenceGrantFromBuilder(from).withGroup("example.com").build(), to),
                grant(namespace, "wrong-from-kind", new ReferenceGrantFromBuilder(from)
                        .withKind(from.getKind().equals("Gateway") ? "HTTPRoute" : "Gateway").build(), to),
                grant(namespace, "wrong-from-namespace", new ReferenceGrantFromBuilder(from).withNamespace(elsewhere).build(), to),
                grant(namespace, "wrong-to-group", from, new ReferenceGrantToBuilder(to).withGroup("example.com").build()),
                grant(namespace, "wrong-to-kind", from, new ReferenceGrantToBuilder(to)
                        .withKind(to.getKind().equals("Secret") ? "Service" : "Secret").build()),
                grant(namespace, "wrong-to-name", from, new ReferenceGrantToBuilder(to).withName("not-" + to.getName()).build()))
                .forEach(GatewayApiFeatureTest::apply);
        refused.run();
        apply(valid);
        permitted.run();
        api().resource(valid).delete();
        refused.run();
    }

    // ---- what Envoy receives ----

    private static Optional<VirtualHost> virtualHost(XdsState state, String routeConfiguration, String host) {
        var resource = state.resource(XdsType.ROUTE, routeConfiguration);
        if (resource == null) return Optional.empty();
        RouteConfiguration config = resource.message();
        return config.getVirtualHostsList().stream().filter(v -> v.getName().equals(host)).findFirst();
    }

    /** The host's only route on that route configuration forwards to the cluster. */
    private static Predicate<XdsState> forwards(String routeConfiguration, String host, String cluster) {
        return onlyRoute(routeConfiguration, host, r -> r.getRoute().getCluster().equals(cluster));
    }

    /** The host's only route on that route configuration answers with a status instead of forwarding. */
    private static Predicate<XdsState> answers(String routeConfiguration, String host, int status) {
        return onlyRoute(routeConfiguration, host, r -> r.getActionCase() == Route.ActionCase.DIRECT_RESPONSE
                && r.getDirectResponse().getStatus() == status);
    }

    private static Predicate<XdsState> onlyRoute(String routeConfiguration, String host, Predicate<Route> route) {
        return s -> virtualHost(s, routeConfiguration, host).map(v -> v.getRoutesCount() == 1 && route.test(v.getRoutes(0)))
                .orElse(false);
    }

    private static Predicate<XdsState> httpsServes(String host) {
        return s -> {
            var resource = s.resource(XdsType.LISTENER, "https");
            if (resource == null) return false;
            Listener https = resource.message();
            return https.getFilterChainsList().stream().anyMatch(c -> c.getFilterChainMatch().getServerNamesList().contains(host));
        };
    }

    /** The host has its filter chain on the https listener, and the client holds the Secret (namespace/name). */
    private static Predicate<XdsState> httpsServes(String host, String secret) {
        return httpsServes(host).and(s -> s.resources(XdsType.SECRET).containsKey(secret));
    }

    private static final Predicate<XdsState> NO_HTTPS = s -> s.resource(XdsType.LISTENER, "https") == null;

    /**
     * Waits until the route configuration's virtual hosts are exactly these, each with these routes in this order
     * (as {@link #summary} writes them); fails showing what the client holds.
     */
    private static void awaitServed(XdsClient client, String routeConfiguration, Map<String, List<String>> expected)
            throws InterruptedException {
        AtomicReference<Map<String, List<String>>> held = new AtomicReference<>();
        client.awaitState(s -> {
            held.set(served(s, routeConfiguration));
            return held.get().equals(expected);
        }, WAIT);
        assertThat(held.get()).as("virtual hosts and routes of %s; client holds %s", routeConfiguration, client.describe())
                .isEqualTo(expected);
    }

    private static Map<String, List<String>> served(XdsState state, String routeConfiguration) {
        var resource = state.resource(XdsType.ROUTE, routeConfiguration);
        if (resource == null) return Map.of();
        RouteConfiguration config = resource.message();
        Map<String, List<String>> served = new TreeMap<>();
        for (VirtualHost host : config.getVirtualHostsList()) {
            served.put(host.getName(), host.getRoutesList().stream().map(GatewayApiFeatureTest::summary).toList());
        }
        return served;
    }

    /**
     * A route in one line: its match ("exact /a", "prefix /a", then "name=value" per header and "?name=value" per query
     * parameter), " -> ", its action (a cluster; weighted clusters "cluster*weight ..." and "else 500" when a missing
     * cluster answers 500; a status; "redirect host CODE"), then its request header edits ("set h=v", "add h=v", "remove h").
     */
    private static String summary(Route route) {
        RouteMatch match = route.getMatch();
        StringBuilder out = new StringBuilder(switch (match.getPathSpecifierCase()) {
            case PATH -> "exact " + match.getPath();
            case PREFIX -> "prefix " + match.getPrefix();
            case PATH_SEPARATED_PREFIX -> "prefix " + match.getPathSeparatedPrefix();
            default -> match.getPathSpecifierCase().toString();
        });
        match.getHeadersList().forEach(h -> out.append(' ').append(h.getName()).append('=').append(h.getStringMatch().getExact()));
        match.getQueryParametersList().forEach(q -> out.append(" ?").append(q.getName()).append('=').append(q.getStringMatch().getExact()));
        out.append(" -> ").append(switch (route.getActionCase()) {
            case ROUTE -> forwarding(route.getRoute());
            case DIRECT_RESPONSE -> String.valueOf(route.getDirectResponse().getStatus());
            case REDIRECT -> "redirect " + route.getRedirect().getHostRedirect() + " " + route.getRedirect().getResponseCode();
            default -> route.getActionCase().toString();
        });
        for (HeaderValueOption h : route.getRequestHeadersToAddList()) {
            out.append(h.getAppendAction() == HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD ? " set " : " add ")
                    .append(h.getHeader().getKey()).append('=').append(h.getHeader().getValue());
        }
        route.getRequestHeadersToRemoveList().forEach(name -> out.append(" remove ").append(name));
        return out.toString();
    }

    private static String forwarding(RouteAction action) {
        if (action.getClusterSpecifierCase() != RouteAction.ClusterSpecifierCase.WEIGHTED_CLUSTERS) return action.getCluster();
        return action.getWeightedClusters().getClustersList().stream().map(c -> c.getName() + "*" + c.getWeight().getValue())
                .collect(Collectors.joining(" "))
                + (action.getClusterNotFoundResponseCode() == RouteAction.ClusterNotFoundResponseCode.INTERNAL_SERVER_ERROR ? " else 500" : "");
    }

    /** The addresses of the cluster's load assignment. */
    private static Set<String> endpoints(XdsState state, String cluster) {
        var resource = state.resource(XdsType.ENDPOINT, cluster);
        if (resource == null) return Set.of();
        ClusterLoadAssignment assignment = resource.message();
        return assignment.getEndpointsList().stream().flatMap(l -> l.getLbEndpointsList().stream())
                .map(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress()).collect(Collectors.toSet());
    }

    // ---- status, as read back from the API server ----

    private static HTTPRoute route(Tenant t, String name) {
        return api().resources(HTTPRoute.class).inNamespace(t.ns()).withName(name).get();
    }

    /** The condition of the route's status entry for its parentRef to that Gateway with that sectionName (null: the one without). */
    private static Optional<io.fabric8.kubernetes.api.model.Condition> routeCondition(HTTPRoute route, String gateway, String sectionName,
            String type) {
        if (route == null || route.getStatus() == null || route.getStatus().getParents() == null) return Optional.empty();
        return route.getStatus().getParents().stream()
                .filter(p -> "shardgate.io/controller".equals(p.getControllerName()))
                .filter(p -> p.getParentRef().getName().equals(gateway))
                .filter(p -> java.util.Objects.equals(p.getParentRef().getSectionName(), sectionName))
                .flatMap(p -> p.getConditions().stream()).filter(c -> c.getType().equals(type)).findFirst();
    }

    private static void awaitRouteCondition(Tenant t, String name, String sectionName, String type, String status, String reason) {
        awaitRouteCondition(t, name, "edge", sectionName, type, status, reason);
    }

    /** Waits until the route's entry for that parentRef holds the condition, for the route's current generation. */
    private static void awaitRouteCondition(Tenant t, String name, String gateway, String sectionName, String type, String status,
            String reason) {
        Conditions.awaitDescribed("HTTPRoute " + name + " parent " + gateway + " " + sectionName + ": " + type + "=" + status + " "
                + reason, WAIT, () -> {
            HTTPRoute route = route(t, name);
            return routeCondition(route, gateway, sectionName, type).filter(c -> c.getStatus().equals(status)
                    && c.getReason().equals(reason) && c.getObservedGeneration().equals(route.getMetadata().getGeneration())).isPresent();
        }, () -> String.valueOf(route(t, name) == null ? null : route(t, name).getStatus()));
    }

    private static void awaitAttached(Tenant t, String name, String sectionName) {
        awaitAttached(t, name, "edge", sectionName);
    }

    /** The route's entry for that parentRef says it is Accepted and every backendRef resolved. */
    private static void awaitAttached(Tenant t, String name, String gateway, String sectionName) {
        awaitRouteCondition(t, name, gateway, sectionName, "Accepted", "True", "Accepted");
        awaitRouteCondition(t, name, gateway, sectionName, "ResolvedRefs", "True", "ResolvedRefs");
    }

    /** The route's entry for its parentRef to the "http" listener: Accepted, though a backendRef is unresolved for that reason. */
    private static void awaitAcceptedUnresolved(Tenant t, String name, String reason) {
        awaitRouteCondition(t, name, "http", "ResolvedRefs", "False", reason);
        awaitRouteCondition(t, name, "http", "Accepted", "True", "Accepted");
    }

    private static io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway edge(Tenant t) {
        return gatewayNamed(t, "edge");
    }

    private static io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway gatewayNamed(Tenant t, String name) {
        return api().resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway.class).inNamespace(t.infra()).withName(name).get();
    }

    private static List<ListenerStatus> listenerStatuses(io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway gateway) {
        if (gateway == null || gateway.getStatus() == null || gateway.getStatus().getListeners() == null) return List.of();
        return gateway.getStatus().getListeners();
    }

    private static void awaitListener(Tenant t, String listener, String type, String status, String reason, int attachedRoutes) {
        awaitListener(t, "edge", listener, type, status, reason, attachedRoutes);
    }

    /** Waits until the Gateway's listener holds the condition and that many attached routes. */
    private static void awaitListener(Tenant t, String gateway, String listener, String type, String status, String reason,
            int attachedRoutes) {
        Conditions.awaitDescribed("Gateway " + gateway + " listener " + listener + ": " + type + "=" + status + " " + reason + ", "
                + attachedRoutes + " routes", WAIT, () -> {
            var written = gatewayNamed(t, gateway);
            return listenerStatuses(written).stream().filter(l -> l.getName().equals(listener))
                    .anyMatch(l -> l.getAttachedRoutes() == attachedRoutes && l.getConditions().stream().anyMatch(c -> c.getType().equals(type)
                            && c.getStatus().equals(status) && c.getReason().equals(reason)
                            && c.getObservedGeneration().equals(written.getMetadata().getGeneration())));
        }, () -> String.valueOf(gatewayNamed(t, gateway) == null ? null : gatewayNamed(t, gateway).getStatus()));
    }

    /** Waits until the status of the Gateway "edge" lists exactly these listeners, in this order. */
    private static void awaitListenerNames(Tenant t, String... names) {
        Conditions.awaitDescribed("Gateway listeners " + List.of(names), WAIT,
                () -> listenerStatuses(edge(t)).stream().map(ListenerStatus::getName).toList().equals(List.of(names)),
                () -> String.valueOf(edge(t) == null ? null : edge(t).getStatus()));
    }

    /** Waits until the Gateway "edge" holds the condition, for its current generation. */
    private static void awaitGatewayCondition(Tenant t, String type, String status, String reason) {
        Conditions.awaitDescribed("Gateway: " + type + "=" + status + " " + reason, WAIT, () -> {
            var gateway = edge(t);
            return gateway != null && gateway.getStatus() != null && gateway.getStatus().getConditions().stream()
                    .anyMatch(c -> c.getType().equals(type) && c.getStatus().equals(status) && c.getReason().equals(reason)
                            && c.getObservedGeneration().equals(gateway.getMetadata().getGeneration()));
        }, () -> String.valueOf(edge(t) == null ? null : edge(t).getStatus()));
    }

    /** The route, its Service and the Gateway in one namespace, on a listener admitting that namespace only (the default). */
    @Test
    void httpRouteSimpleSameNamespace() throws Exception {
        Tenant t = tenant().inInfra();
        ownNamespaceGateway(t);
        XdsClient envoy = envoy(t);

        awaitSameNamespaceRouteServed(t, envoy);
        await(envoy, "the Service's cluster is sent", s -> s.resources(XdsType.CLUSTER).containsKey(t.cluster("web")));
        awaitListener(t, "http", "Programmed", "True", "Programmed", 1);
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    /**
     * A route of another namespace names the listener that admits its Gateway's namespace only: it is not Accepted, not
     * counted, and claims nothing of what the listener serves (the host it would share is the other route's).
     */
    @Test
    void httpRouteInvalidCrossNamespaceParentRef() throws Exception {
        Tenant t = tenant();
        services(t.ns(), "web");
        ownNamespaceGateway(t.inInfra());
        routeOn(t, "invalid-cross-namespace-parent-ref", "http", List.of(), rule(List.of(), backend("web")));
        XdsClient envoy = envoy(t);

        // The node reads routes in order: once the route made after it is served, it has read this one too.
        awaitSameNamespaceRouteServed(t.inInfra(), envoy);
        awaitRouteCondition(t, "invalid-cross-namespace-parent-ref", "http", "Accepted", "False", "NotAllowedByListeners");
        awaitListener(t, "http", "Programmed", "True", "Programmed", 1);
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    /** The tenant's Gateway "edge" with one listener "http", admitting routes of its own namespace only, and the Service web there. */
    private static void ownNamespaceGateway(Tenant t) {
        services(t.infra(), "web");
        gateway(t, ownNamespaceListener("http", 80));
    }

    /**
     * The route "same-namespace" of the Gateway's namespace (t: the tenant {@link Tenant#inInfra in its infra namespace}),
     * on the listener "http" without hostnames, to web: waits until it is all the listener serves, Accepted and resolved.
     */
    private static void awaitSameNamespaceRouteServed(Tenant t, XdsClient envoy) throws InterruptedException {
        routeOn(t, "same-namespace", "http", List.of(), rule(List.of(), backend("web")));
        awaitServed(envoy, "http", Map.of("*", List.of("prefix / -> " + t.cluster("web"))));
        awaitAttached(t, "same-namespace", "http");
    }

    /** No ReferenceGrant admits the route to the Service of another namespace: the backend is not used and the rule answers 500. */
    @Test
    void httpRouteInvalidCrossNamespaceBackendRef() throws Exception {
        Tenant t = tenant();
        String host = routeToOtherNamespace(t);
        XdsClient envoy = envoy(t);

        awaitAnswers500(t, envoy, "cross", host, "RefNotPermitted");
        Conditions.await("RefNotPermitted reported on the HTTPRoute", WAIT, () -> api().v1().events().inNamespace(t.ns()).list()
                .getItems().stream().anyMatch(e -> "RefNotPermitted".equals(e.getReason()) && "cross".equals(e.getInvolvedObject().getName())));
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    /**
     * A grant to every Service of the namespace (no name; httpRouteInvalidReferenceGrant's valid grant names the Service)
     * admits the route: it forwards. Once the grant is deleted it answers 500 again.
     */
    @Test
    void httpRouteReferenceGrant() throws Exception {
        Tenant t = tenant();
        String host = routeToOtherNamespace(t);
        ReferenceGrant grant = grant(t.other(), "HTTPRoute", t.ns(), "Service");
        apply(grant);
        XdsClient envoy = envoy(t);

        await(envoy, "the grant admits the route: it forwards", forwards("http", host, t.other() + "/web:80"));
        awaitAttached(t, "cross", "http");

        api().resource(grant).delete();
        awaitAnswers500(t, envoy, "cross", host, "RefNotPermitted");
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    /** The tenant's Gateway, and its route "cross" on the listener "http" to the Service web of its other namespace; @return its host */
    private static String routeToOtherNamespace(Tenant t) {
        services(t.other(), "web");
        return routeOnHttp(t, "cross", backend(t.other(), "web", null));
    }

    /** The tenant's Gateway with the listener "http", and on it the route of that name for t.host(name) to the backend; @return the host */
    private static String routeOnHttp(Tenant t, String name, HTTPBackendRef backend) {
        gateway(t, httpListener());
        route(t, name, "http", t.host(name), backend);
        return t.host(name);
    }

    /** The route's host answers 500, its only backend unusable; the route is Accepted, with ResolvedRefs False for that reason. */
    private static void awaitAnswers500(Tenant t, XdsClient envoy, String route, String host, String reason) throws InterruptedException {
        await(envoy, host + " answers 500 (" + reason + ")", answers("http", host, 500));
        awaitAcceptedUnresolved(t, route, reason);
    }

    @Test
    void httpRouteHTTPSListener() throws Exception {
        Tenant t = tenantWithSecureTls();
        String secure = t.host("secure");
        String plain = t.host("plain");
        gateway(t, httpListener(), httpsListener(secure, null, "secure-tls"));
        route(t, "secure", "https", secure, null, "web");
        route(t, "plain", "http", plain, null, "web");
        XdsClient envoy = envoy(t);

        await(envoy, "the HTTPS route on its filter chain, with the listener's certificate; the HTTP route on plain HTTP",
                httpsServes(secure).and(forwards("https/" + secure, secure, t.ns() + "/web:80"))
                        .and(s -> s.resources(XdsType.SECRET).containsKey(t.infra() + "/secure-tls"))
                        .and(forwards("http", plain, t.ns() + "/web:80")));
        RouteConfiguration http = envoy.resource(XdsType.ROUTE, "http").message();
        assertThat(http.getVirtualHostsList()).extracting(VirtualHost::getName).as("a route attached to HTTPS only is not on plain HTTP")
                .contains(plain).doesNotContain(secure);
        awaitListener(t, "https", "Programmed", "True", "Programmed", 1);
        awaitListener(t, "http", "Programmed", "True", "Programmed", 1);
        awaitRouteCondition(t, "secure", "https", "Accepted", "True", "Accepted");
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    /** The certificate is a Secret of another namespace, and no ReferenceGrant admits the Gateway to it: no HTTPS. */
    @Test
    void gatewaySecretMissingReferenceGrant() throws Exception {
        Tenant t = secretInOtherNamespace();
        XdsClient envoy = envoy(t);

        await(envoy, "plain HTTP still served", forwards("http", t.host("secure"), t.cluster("web")));
        awaitNotServedOverHttps(t, envoy, "https", "RefNotPermitted", 1);
        Conditions.await("RefNotPermitted reported on the Gateway", WAIT, () -> api().v1().events().inNamespace(t.infra()).list()
                .getItems().stream().anyMatch(e -> "RefNotPermitted".equals(e.getReason()) && "Gateway".equals(e.getInvolvedObject().getKind())));
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    /** A grant to every Secret of the namespace admits the Gateway to its certificate, and to the one it names next. */
    @Test
    void gatewaySecretReferenceGrantAllInNamespace() throws Exception {
        Tenant t = secretInOtherNamespace();
        String secure = t.host("secure");
        XdsClient envoy = awaitGrantServesHttps(t, grant(t.other(), "Gateway", t.infra(), "Secret"));

        certificate(t.other(), "renewed", secure);
        gateway(t, httpListener(), httpsListener(secure, t.other(), "renewed"));
        awaitServedOverHttps(t, envoy, "https", secure, t.other() + "/renewed");
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    @Test
    void gatewayWithAttachedRoutes() throws Exception {
        Tenant t = tenant();
        apply(service(t.ns(), "web").port("http", 80).build());
        gateway(t, httpListener(), ownNamespaceListener("own-namespace", 8080));
        route(t, "one", "http", t.host("one"), null, "web");
        route(t, "two", null, t.host("two"), null, "web");

        // "two" names no listener: it attaches to every one that admits it, which the own-namespace one does not.
        awaitListener(t, "http", "Accepted", "True", "Accepted", 2);
        awaitListener(t, "own-namespace", "Programmed", "True", "Programmed", 0);
        Conditions.awaitDescribed("the Gateway Accepted and Programmed", WAIT, () -> {
            var gateway = edge(t);
            return gateway.getStatus() != null && gateway.getStatus().getConditions().stream()
                    .filter(c -> c.getStatus().equals("True")).map(c -> c.getType()).toList().containsAll(List.of("Accepted", "Programmed"));
        }, () -> String.valueOf(edge(t).getStatus()));

        api().resources(HTTPRoute.class).inNamespace(t.ns()).withName("two").delete();
        awaitListener(t, "http", "Accepted", "True", "Accepted", 1);
    }

    /** The only backend is a Service that does not exist yet: 500 until it is made, then the route forwards to it. */
    @Test
    void httpRouteInvalidNonExistentBackendRef() throws Exception {
        Tenant t = tenant();
        String host = routeOnHttp(t, "missing", backend("not-yet"));
        XdsClient envoy = envoy(t);

        awaitAnswers500(t, envoy, "missing", host, "BackendNotFound");

        services(t.ns(), "not-yet");
        await(envoy, "the Service appears: the route forwards", forwards("http", host, t.cluster("not-yet")));
        awaitAttached(t, "missing", "http");
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    /** The only backend is of a kind Shardgate does not know: the route is Accepted, InvalidKind, and answers 500. */
    @Test
    void httpRouteInvalidBackendRefUnknownKind() throws Exception {
        Tenant t = tenant();
        String host = routeOnHttp(t, "unknown-kind", new HTTPBackendRefBuilder().withGroup("example.com").withKind("Bucket")
                .withName("assets").build());
        XdsClient envoy = envoy(t);

        awaitAnswers500(t, envoy, "unknown-kind", host, "InvalidKind");
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    @Test
    void httpRouteInvalidParentRefNotMatchingSectionName() throws Exception {
        Tenant t = tenant();
        apply(service(t.ns(), "web").port("http", 80).build());
        gateway(t, httpListener());
        route(t, "lost", "no-such-listener", t.host("lost"), null, "web");
        awaitRouteCondition(t, "lost", "no-such-listener", "Accepted", "False", "NoMatchingParent");
        awaitListener(t, "http", "Accepted", "True", "Accepted", 0);
    }

    @Test
    void httpRouteObservedGenerationBump() throws Exception {
        Tenant t = tenant();
        apply(service(t.ns(), "web").port("http", 80).build());
        gateway(t, httpListener());
        route(t, "bumped", "http", t.host("before"), null, "web");
        awaitRouteCondition(t, "bumped", "http", "Accepted", "True", "Accepted");
        long before = route(t, "bumped").getMetadata().getGeneration();

        route(t, "bumped", "http", t.host("after"), null, "web");
        Conditions.await("the spec change bumped the generation", WAIT, () -> route(t, "bumped").getMetadata().getGeneration() > before);
        awaitRouteCondition(t, "bumped", "http", "Accepted", "True", "Accepted"); // for the new generation
    }

    @Test
    void httpRouteCrossNamespace() throws Exception {
        Tenant t = tenant();
        services(t.ns(), "web-backend");
        gateway(t, httpListener());
        routeOn(t, "cross-namespace", null, List.of(), rule(List.of(), backend("web-backend")));
        XdsClient envoy = envoy(t);

        // The Gateway is in the infra namespace, the route and its Service in the tenant's: the listener admits All.
        awaitServed(envoy, "http", Map.of("*", List.of("prefix / -> " + t.cluster("web-backend"))));
        await(envoy, "the Service's cluster is sent", s -> s.resources(XdsType.CLUSTER).containsKey(t.cluster("web-backend")));
        awaitAttached(t, "cross-namespace", null);
        awaitListener(t, "http", "Programmed", "True", "Programmed", 1);
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    @Test
    void httpRouteExactPathMatching() throws Exception {
        Tenant t = httpTenant();
        awaitRoutes(t, "exact-matching", List.of(rule(exact("/one"), backend("v1")), rule(exact("/two"), backend("v2"))),
                "exact /one -> " + t.cluster("v1"), "exact /two -> " + t.cluster("v2"));
    }

    @Test
    void httpRouteHeaderMatching() throws Exception {
        Tenant t = httpTenant();
        String v1 = " -> " + t.cluster("v1");
        String v2 = " -> " + t.cluster("v2");
        // More header matches first; at equal counts, rule order.
        awaitRoutes(t, "header-matching", List.of(
                        rule(headers("version", "one"), backend("v1")),
                        rule(headers("version", "two"), backend("v2")),
                        rule(headers("version", "two", "color", "orange"), backend("v1")),
                        rule(List.of(headers("color", "blue"), headers("color", "green")), backend("v1")),
                        rule(List.of(headers("color", "red"), headers("color", "yellow")), backend("v2"))),
                "prefix / color=orange version=two" + v1, "prefix / version=one" + v1, "prefix / version=two" + v2,
                "prefix / color=blue" + v1, "prefix / color=green" + v1, "prefix / color=red" + v2, "prefix / color=yellow" + v2);
    }

    @Test
    void httpRouteMatching() throws Exception {
        Tenant t = httpTenant();
        awaitRoutes(t, "matching", List.of(
                        rule(List.of(prefix("/"), headers("version", "one")), backend("v1")),
                        rule(List.of(prefix("/v2"), headers("version", "two")), backend("v2"))),
                "prefix /v2 -> " + t.cluster("v2"), "prefix / version=one -> " + t.cluster("v1"),
                "prefix / version=two -> " + t.cluster("v2"), "prefix / -> " + t.cluster("v1"));
    }

    @Test
    void httpRouteMatchingAcrossRoutes() throws Exception {
        Tenant t = tenant();
        String one = t.host("one");
        services(t.ns(), "v1", "v2");
        gateway(t, httpListener());
        routeOn(t, "matching-part1", null, t.hosts("one", "two"), rule(List.of(prefix("/"), headers("version", "one")), backend("v1")));
        routeOn(t, "matching-part2", null, List.of(one), rule(List.of(prefix("/v2"), headers("version", "two")), backend("v2")));
        XdsClient envoy = envoy(t);

        // On the host both name, their matches are merged in precedence (the older route's first at equal precedence), as
        // httpRouteMatching's in one route; part2's are on that host only.
        String v1 = " -> " + t.cluster("v1");
        String v2 = " -> " + t.cluster("v2");
        awaitServed(envoy, "http", Map.of(
                one, List.of("prefix /v2" + v2, "prefix / version=one" + v1, "prefix / version=two" + v2, "prefix /" + v1),
                t.host("two"), List.of("prefix / version=one" + v1, "prefix /" + v1)));
        awaitAttached(t, "matching-part1", null);
        awaitAttached(t, "matching-part2", null);
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    @Test
    void httpRoutePathMatchOrder() throws Exception {
        Tenant t = httpTenant();
        // Longer first, Exact before PathPrefix at equal length; a prefix's trailing "/" does not count.
        awaitRoutes(t, "path-matching-order", List.of(
                        rule(exact("/match"), backend("v1")),
                        rule(exact("/match/exact"), backend("v2")),
                        rule(exact("/match/exact/one"), backend("v3")),
                        rule(prefix("/match/"), backend("v3")),
                        rule(prefix("/match/prefix/"), backend("v1")),
                        rule(prefix("/match/prefix/one"), backend("v2"))),
                "prefix /match/prefix/one -> " + t.cluster("v2"),
                "exact /match/exact/one -> " + t.cluster("v3"),
                "prefix /match/prefix -> " + t.cluster("v1"),
                "exact /match/exact -> " + t.cluster("v2"),
                "exact /match -> " + t.cluster("v1"),
                "prefix /match -> " + t.cluster("v3"));
    }

    @Test
    void httpRouteHostnameIntersection() throws Exception {
        Tenant t = tenant();
        services(t.ns(), "v1", "v2", "v3");
        gateway(t, httpListener("listener-1", t.host("very.specific")), httpListener("listener-2", t.host("*.wildcard")),
                httpListener("listener-3", t.host("*.anotherwildcard")));
        routeOn(t, "specific-host-matches-listener-specific-host", null,
                t.hosts("non.matching", "*.nonmatchingwildcard", "very.specific"), rule(prefix("/s1"), backend("v1")));
        routeOn(t, "specific-host-matches-listener-wildcard-host", null,
                t.hosts("non.matching", "wildcard", "foo.wildcard", "bar.wildcard", "foo.bar.wildcard"), rule(prefix("/s2"), backend("v2")));
        routeOn(t, "wildcard-host-matches-listener-specific-host", null,
                t.hosts("non.matching", "*.specific"), rule(prefix("/s3"), backend("v3")));
        routeOn(t, "wildcard-host-matches-listener-wildcard-host", null,
                t.hosts("*.anotherwildcard"), rule(prefix("/s4"), backend("v1")));
        routeOn(t, "no-intersecting-hosts", null, t.hosts("specific.but.wrong", "wildcard"), rule(prefix("/s5"), backend("v2")));
        XdsClient envoy = envoy(t);

        // Only the intersections are served: no non.matching, wildcard or specific.but.wrong host.
        List<String> s2 = List.of("prefix /s2 -> " + t.cluster("v2"));
        awaitServed(envoy, "http", Map.of(
                t.host("very.specific"), List.of("prefix /s1 -> " + t.cluster("v1"), "prefix /s3 -> " + t.cluster("v3")),
                t.host("foo.wildcard"), s2, t.host("bar.wildcard"), s2, t.host("foo.bar.wildcard"), s2,
                t.host("*.anotherwildcard"), List.of("prefix /s4 -> " + t.cluster("v1"))));
        for (String route : List.of("specific-host-matches-listener-specific-host", "specific-host-matches-listener-wildcard-host",
                "wildcard-host-matches-listener-specific-host", "wildcard-host-matches-listener-wildcard-host")) {
            awaitAttached(t, route, null);
        }
        awaitRouteCondition(t, "no-intersecting-hosts", null, "Accepted", "False", "NoMatchingListenerHostname");
        // Only Accepted routes count.
        awaitListener(t, "listener-1", "Accepted", "True", "Accepted", 2);
        awaitListener(t, "listener-2", "Accepted", "True", "Accepted", 1);
        awaitListener(t, "listener-3", "Accepted", "True", "Accepted", 1);
    }

    @Test
    void httpRouteListenerHostnameMatching() throws Exception {
        Tenant t = tenant();
        services(t.ns(), "v1", "v2", "v3");
        gateway(t, httpListener("listener-1", t.host("bar")), httpListener("listener-2", t.host("foo.bar")),
                httpListener("listener-3", t.host("*.bar")), httpListener("listener-4", t.host("*.foo")));
        routeOn(t, "backend-v1", "listener-1", List.of(), rule(List.of(), backend("v1")));
        routeOn(t, "backend-v2", "listener-2", List.of(), rule(List.of(), backend("v2")));
        httpRoute(t, "backend-v3", List.of(parent(t, "edge", "listener-3"), parent(t, "edge", "listener-4")), List.of(),
                rule(List.of(), backend("v3")));
        routeOn(t, "mismatched", "listener-1", t.hosts("other"), rule(List.of(), backend("v1")));
        XdsClient envoy = envoy(t);

        // Routes without hostnames take their listener's; Envoy prefers foo.bar's exact domain to *.bar.
        awaitServed(envoy, "http", Map.of(t.host("bar"), List.of("prefix / -> " + t.cluster("v1")),
                t.host("foo.bar"), List.of("prefix / -> " + t.cluster("v2")),
                t.host("*.bar"), List.of("prefix / -> " + t.cluster("v3")),
                t.host("*.foo"), List.of("prefix / -> " + t.cluster("v3"))));
        awaitAttached(t, "backend-v1", "listener-1");
        awaitAttached(t, "backend-v2", "listener-2");
        awaitAttached(t, "backend-v3", "listener-3");
        awaitAttached(t, "backend-v3", "listener-4");
        awaitRouteCondition(t, "mismatched", "listener-1", "Accepted", "False", "NoMatchingListenerHostname");
        awaitListener(t, "listener-1", "Programmed", "True", "Programmed", 1);
    }

    @Test
    void httpRouteMultipleGateways() throws Exception {
        Tenant t = tenant();
        String first = t.host("first");
        String second = t.host("second");
        services(t.ns(), "v1", "v2", "v3");
        // Gateways of one class share the gateway's Envoys: each has its own hostname to be told apart.
        gateway(t, "edge", httpListener("http", first));
        gateway(t, "second", httpListener("http", second));
        httpRoute(t, "multiple-gateways-shared-route", List.of(parent(t, "edge", null), parent(t, "second", null)), List.of(),
                rule(prefix("/shared"), backend("v1")));
        XdsClient envoy = envoy(t);

        String shared = "prefix /shared -> " + t.cluster("v1");
        awaitServed(envoy, "http", Map.of(first, List.of(shared), second, List.of(shared)));
        awaitAttached(t, "multiple-gateways-shared-route", "edge", null);
        awaitAttached(t, "multiple-gateways-shared-route", "second", null);
        awaitListener(t, "edge", "http", "Programmed", "True", "Programmed", 1);
        awaitListener(t, "second", "http", "Programmed", "True", "Programmed", 1);

        // A route of each Gateway alone joins the shared one on that Gateway's host only.
        httpRoute(t, "same-namespace-dedicated-route", List.of(parent(t, "edge", null)), List.of(), rule(prefix("/"), backend("v2")));
        httpRoute(t, "all-namespaces-dedicated-route", List.of(parent(t, "second", null)), List.of(), rule(prefix("/"), backend("v3")));
        awaitServed(envoy, "http", Map.of(first, List.of(shared, "prefix / -> " + t.cluster("v2")),
                second, List.of(shared, "prefix / -> " + t.cluster("v3"))));
        awaitListener(t, "edge", "http", "Programmed", "True", "Programmed", 2);
        awaitListener(t, "second", "http", "Programmed", "True", "Programmed", 2);
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    @Test
    void httpRouteNoBackendRefs() throws Exception {
        // Answered 500; ResolvedRefs is True, as nothing is unresolved.
        awaitRoutes(httpTenant(), "no-backends", List.of(rule(List.of())), "prefix / -> 500");
    }

    @Test
    void httpRoutePartiallyInvalidViaInvalidReferenceGrant() throws Exception {
        Tenant t = tenant();
        String host = t.host("partial");
        services(t.other(), "app-backend-v1", "app-backend-v2");
        apply(grant(t.other(), "invalid-reference-grant", from("HTTPRoute", t.ns()), to("Service", "app-backend-v1")));
        gateway(t, httpListener());
        routeOn(t, "invalid-reference-grant", "http", List.of(host),
                rule(prefix("/v2"), backend(t.other(), "app-backend-v2", null)),
                rule(List.of(), backend(t.other(), "app-backend-v1", null)),
                rule(prefix("/split"), backend(t.other(), "app-backend-v1", null), backend(t.other(), "app-backend-v2", null)));
        XdsClient envoy = envoy(t);

        // The grant names app-backend-v1 only: app-backend-v2 and its share of /split answer 500, the rest is served.
        String v1 = t.other() + "/app-backend-v1:80";
        awaitServed(envoy, "http", Map.of(host, List.of("prefix /split -> " + v1 + "*1 unusable-backend*1 else 500",
                "prefix /v2 -> 500", "prefix / -> " + v1)));
        awaitAcceptedUnresolved(t, "invalid-reference-grant", "RefNotPermitted");
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    @Test
    void httpRouteInvalidReferenceGrant() throws Exception {
        Tenant t = tenant();
        services(t.other(), "web-backend");
        String host = routeOnHttp(t, "reference-grant", backend(t.other(), "web-backend", null));
        XdsClient envoy = envoy(t);

        nearMissesPermitNothing(grant(t.other(), "valid", from("HTTPRoute", t.ns()), to("Service", "web-backend")), t.infra(), () -> {
            awaitServed(envoy, "http", Map.of(host, List.of("prefix / -> 500")));
            awaitAcceptedUnresolved(t, "reference-grant", "RefNotPermitted");
        }, () -> {
            awaitServed(envoy, "http", Map.of(host, List.of("prefix / -> " + t.other() + "/web-backend:80")));
            awaitRouteCondition(t, "reference-grant", "http", "ResolvedRefs", "True", "ResolvedRefs");
        });
    }

    @Test
    void httpRouteRedirectHostAndStatus() throws Exception {
        awaitRoutes(httpTenant(), "redirect-host-and-status", List.of(
                        filtered(rule(prefix("/hostname-redirect")), redirect("example.org", null)),
                        filtered(rule(prefix("/host-and-status")), redirect("example.org", 301))),
                "prefix /hostname-redirect -> redirect example.org FOUND",
                "prefix /host-and-status -> redirect example.org MOVED_PERMANENTLY");
    }

    @Test
    void httpRouteRequestHeaderModifier() throws Exception {
        Tenant t = httpTenant();
        String v1 = " -> " + t.cluster("v1");
        // Names lower-cased; set overwrites, add appends.
        awaitRoutes(t, "request-header-modifier", List.of(
                        filtered(rule(prefix("/set"), backend("v1")),
                                requestHeaders(List.of(header("X-Header-Set", "set-overwrites-values")), List.of())),
                        filtered(rule(prefix("/add"), backend("v1")),
                                requestHeaders(List.of(), List.of(header("X-Header-Add", "add-appends-values")))),
                        filtered(rule(prefix("/remove"), backend("v1")), requestHeaders(List.of(), List.of(), "X-Header-Remove")),
                        filtered(rule(prefix("/multiple"), backend("v1")), requestHeaders(
                                List.of(header("X-Header-Set-1", "header-set-1"), header("X-Header-Set-2", "header-set-2")),
                                List.of(header("X-Header-Add-1", "header-add-1"), header("X-Header-Add-2", "header-add-2"),
                                        header("X-Header-Add-3", "header-add-3")),
                                "X-Header-Remove-1", "X-Header-Remove-2")),
                        filtered(rule(prefix("/case-insensitivity"), backend("v1")), requestHeaders(
                                List.of(header("X-Header-Set", "header-set")), List.of(header("X-Header-Add", "header-add")),
                                "X-Header-Remove"))),
                "prefix /case-insensitivity" + v1 + " set x-header-set=header-set add x-header-add=header-add remove x-header-remove",
                "prefix /multiple" + v1 + " set x-header-set-1=header-set-1 set x-header-set-2=header-set-2 add x-header-add-1=header-add-1"
                        + " add x-header-add-2=header-add-2 add x-header-add-3=header-add-3 remove x-header-remove-1 remove x-header-remove-2",
                "prefix /remove" + v1 + " remove x-header-remove",
                "prefix /add" + v1 + " add x-header-add=add-appends-values",
                "prefix /set" + v1 + " set x-header-set=set-overwrites-values");
    }

    @Test
    void httpRouteWeight() throws Exception {
        Tenant t = httpTenant();
        // A weight of 0 draws nothing: v3 is left out, and no cluster of it is sent.
        XdsClient envoy = awaitRoutes(t, "weighted-backends",
                List.of(rule(List.of(), backend(null, "v1", 70), backend(null, "v2", 30), backend(null, "v3", 0))),
                "prefix / -> " + t.cluster("v1") + "*70 " + t.cluster("v2") + "*30 else 500");
        await(envoy, "clusters of v1 and v2 only", s -> s.resources(XdsType.CLUSTER).keySet().containsAll(List.of(t.cluster("v1"),
                t.cluster("v2"))) && !s.resources(XdsType.CLUSTER).containsKey(t.cluster("v3")));
    }

    @Test
    void httpRouteServiceTypes() throws Exception {
        Tenant t = tenant();
        String host = t.host("types");
        apply(service(t.ns(), "cluster-ip").port("http", 80).build());
        apply(new ServiceBuilder(service(t.ns(), "headless").port("http", 80).build()).editSpec().withClusterIP("None").endSpec().build());
        apply(new ServiceBuilder(service(t.ns(), "external").port("http", 80).build())
                .editSpec().withType("ExternalName").withExternalName("api.example.net").endSpec().build());
        apply(endpointSlice(t.ns(), "cluster-ip-1", "cluster-ip").port("http", 8080).endpoint("10.0.0.1", true).build());
        apply(endpointSlice(t.ns(), "headless-1", "headless").port("http", 8080).endpoint("10.0.0.2", true).build());
        gateway(t, httpListener());
        routeOn(t, "service-types", "http", List.of(host),
                rule(exact("/cluster-ip"), backend("cluster-ip")),
                rule(exact("/headless"), backend("headless")),
                rule(exact("/external"), backend("external")));
        XdsClient envoy = envoy(t);

        awaitServed(envoy, "http", Map.of(host, List.of("exact /cluster-ip -> " + t.cluster("cluster-ip"), "exact /external -> 500",
                "exact /headless -> " + t.cluster("headless"))));
        await(envoy, "each Service's endpoints", s -> endpoints(s, t.cluster("cluster-ip")).equals(Set.of("10.0.0.1"))
                && endpoints(s, t.cluster("headless")).equals(Set.of("10.0.0.2")));
        awaitAcceptedUnresolved(t, "service-types", "InvalidKind"); // the ExternalName Service
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    @Test
    void gatewaySecretInvalidReferenceGrant() throws Exception {
        Tenant t = secretInOtherNamespace();
        XdsClient envoy = envoy(t);

        nearMissesPermitNothing(grant(t.other(), "valid", from("Gateway", t.infra()), to("Secret", "certificate")), t.ns(),
                () -> awaitNotServedOverHttps(t, envoy, "https", "RefNotPermitted", 1),
                () -> awaitServedOverHttps(t, envoy, "https", t.host("secure"), t.other() + "/certificate"));
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    /** A grant naming the Secret admits the Gateway to it; once changed to name another Secret, it admits nothing. */
    @Test
    void gatewaySecretReferenceGrantSpecific() throws Exception {
        Tenant t = secretInOtherNamespace();
        XdsClient envoy = awaitGrantServesHttps(t, grant(t.other(), "reference-grant-specific", from("Gateway", t.infra()),
                to("Secret", "certificate")));

        apply(grant(t.other(), "reference-grant-specific", from("Gateway", t.infra()), to("Secret", "another-certificate")));
        awaitNotServedOverHttps(t, envoy, "https", "RefNotPermitted", 1);
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    /**
     * Applies the grant to a tenant of {@link #secretInOtherNamespace}: t.host("secure") is then served over HTTPS with the
     * Secret "certificate", through the route "secure", Accepted and resolved. @return the tenant's Envoy
     */
    private static XdsClient awaitGrantServesHttps(Tenant t, ReferenceGrant grant) throws InterruptedException {
        String secure = t.host("secure");
        apply(grant);
        XdsClient envoy = envoy(t);
        awaitServedOverHttps(t, envoy, "https", secure, t.other() + "/certificate");
        awaitServed(envoy, "https/" + secure, Map.of(secure, List.of("prefix / -> " + t.cluster("web"))));
        awaitAttached(t, "secure", null);
        return envoy;
    }

    @Test
    void gatewayInvalidTLSConfiguration() throws Exception {
        Tenant t = tenant();
        String control = t.host("control");
        String missing = t.host("missing");
        services(t.ns(), "web");
        gateway(t, httpListener(),
                httpsListener("no-certificate", t.host("nocert")),
                httpsListener("nonexistent-secret", missing, new SecretObjectReferenceBuilder().withName("missing-tls").build()),
                httpsListener("unsupported-group", t.host("group"),
                        new SecretObjectReferenceBuilder().withGroup("wrong.group.company.io").withKind("Secret").withName("tls").build()),
                httpsListener("unsupported-kind", t.host("kind"),
                        new SecretObjectReferenceBuilder().withGroup("").withKind("WrongKind").withName("tls").build()),
                httpsListener("malformed-secret", t.host("malformed"), new SecretObjectReferenceBuilder().withName("malformed-tls").build()));
        apply(tlsSecret(t.infra(), "malformed-tls", "not a certificate", "not a key"));
        routeOn(t, "control", "http", List.of(control), rule(List.of(), backend("web")));
        routeOn(t, "secure", "nonexistent-secret", List.of(missing), rule(List.of(), backend("web")));
        XdsClient envoy = envoy(t);

        // Each listener without a usable certificate is not programmed; the HTTP listener still serves.
        awaitServed(envoy, "http", Map.of(control, List.of("prefix / -> " + t.cluster("web"))));
        awaitNotServedOverHttps(t, envoy, "nonexistent-secret", "InvalidCertificateRef", 1);
        for (String listener : List.of("no-certificate", "unsupported-group", "unsupported-kind", "malformed-secret")) {
            awaitNotServedOverHttps(t, envoy, listener, "InvalidCertificateRef", 0);
        }
        awaitGatewayCondition(t, "Accepted", "True", "ListenersNotValid");
        awaitGatewayCondition(t, "Programmed", "True", "Programmed");

        certificate(t.infra(), "missing-tls", missing);
        awaitServedOverHttps(t, envoy, "nonexistent-secret", missing, t.infra() + "/missing-tls");
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    @Test
    void gatewayModifyListeners() throws Exception {
        Tenant t = tenantWithSecureTls();
        String secure = t.host("secure");
        String data = t.host("data");
        var https = httpsListener(secure, null, "secure-tls");
        gateway(t, https);
        routeOn(t, "http-route", null, List.of(), rule(List.of(), backend("web")));
        XdsClient envoy = envoy(t);
        String forwarded = "prefix / -> " + t.cluster("web");

        awaitServedOverHttps(t, envoy, "https", secure, t.infra() + "/secure-tls");
        awaitServed(envoy, "http", Map.of());
        awaitListenerNames(t, "https");

        // A listener added: the route attaches to it too, on its hostname.
        gateway(t, https, httpListener("http", data));
        awaitServed(envoy, "http", Map.of(data, List.of(forwarded)));
        awaitListenerNames(t, "https", "http");
        awaitListener(t, "http", "Programmed", "True", "Programmed", 1);
        awaitListener(t, "https", "Programmed", "True", "Programmed", 1);

        // A listener removed: its host is no longer served, the other still is.
        gateway(t, httpListener("http", data));
        await(envoy, "nothing served over HTTPS", NO_HTTPS);
        awaitServed(envoy, "http", Map.of(data, List.of(forwarded)));
        awaitListenerNames(t, "http");
        awaitListener(t, "http", "Programmed", "True", "Programmed", 1);
        awaitAttached(t, "http-route", null);
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    /**
     * allowedRoutes.namespaces.from Selector (extended support, no core conformance test): the listener takes the routes of
     * the Namespaces whose labels its selector matches, and follows a label change both ways.
     */
    @Test
    void allowedRoutesSelectNamespacesByLabel() throws Exception {
        Tenant t = tenant();
        String host = t.host("pay");
        services(t.ns(), "web");
        apply(namespace(t.ns(), "games"));
        gateway(t, new ListenerBuilder().withName("http").withPort(80).withProtocol("HTTP").withNewAllowedRoutes().withNewNamespaces()
                .withFrom("Selector").withNewSelector().withMatchLabels(Map.of("team", "payments")).endSelector()
                .endNamespaces().endAllowedRoutes().build());
        routeOn(t, "pay", "http", List.of(host), rule(List.of(), backend("web")));
        XdsClient envoy = envoy(t);
        awaitRouteCondition(t, "pay", "http", "Accepted", "False", "NotAllowedByListeners");
        awaitListener(t, "http", "Programmed", "True", "Programmed", 0);

        apply(namespace(t.ns(), "payments"));
        awaitServed(envoy, "http", Map.of(host, List.of("prefix / -> " + t.cluster("web"))));
        awaitAttached(t, "pay", "http");
        awaitListener(t, "http", "Programmed", "True", "Programmed", 1);

        apply(namespace(t.ns(), "games"));
        awaitServed(envoy, "http", Map.of());
        awaitRouteCondition(t, "pay", "http", "Accepted", "False", "NotAllowedByListeners");
        awaitListener(t, "http", "Programmed", "True", "Programmed", 0);
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    private static io.fabric8.kubernetes.api.model.Namespace namespace(String name, String team) {
        return new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(name).withLabels(Map.of("team", team))
                .endMetadata().build();
    }

    /**
     * ListenerSet (GEP-1713, extended): a tenant adds an HTTPS listener with its own certificate to a shared Gateway that
     * admits ListenerSets of every namespace; its route attaches to the set. The Gateway counts the set; a second set
     * claiming the same port and hostname later is Conflicted; when the Gateway stops admitting ListenerSets, the set is
     * NotAllowed and its host is no longer served over HTTPS.
     */
    @Test
    void listenerSetAddsAListenerToASharedGateway() throws Exception {
        Tenant t = tenant();
        String secure = secureSet(t, "All");
        routeThroughSet(t, "secure", null, secure);
        XdsClient envoy = envoy(t);

        await(envoy, "the set's listener serves the host with the set's certificate", httpsServes(secure, t.ns() + "/secure-tls"));
        awaitServed(envoy, "https/" + secure, Map.of(secure, List.of("prefix / -> " + t.cluster("web"))));
        awaitListenerSet(t, "extra", "Accepted", "True", "Accepted", 1);
        Conditions.awaitDescribed("the Gateway counts the set", WAIT, () -> edge(t).getStatus() != null
                && Integer.valueOf(1).equals(edge(t).getStatus().getAttachedListenerSets()), () -> String.valueOf(edge(t).getStatus()));

        apply(listenerSet(t, "late", secure));
        awaitListenerSetListener(t, "late", "https", "Conflicted", "True", "HostnameConflict");
        awaitListenerSetListener(t, "extra", "https", "Conflicted", "False", "NoConflicts");

        sharedGateway(t, (String) null);
        await(envoy, "nothing served over HTTPS once the Gateway admits no ListenerSet", NO_HTTPS);
        awaitListenerSet(t, "extra", "Accepted", "False", "NotAllowed", null);
        // The mock API server drops the status when the spec is replaced (a real one keeps it): absent and 0 both say none.
        Conditions.awaitDescribed("the Gateway counts no set", WAIT, () -> edge(t).getStatus() != null
                && edge(t).getStatus().getConditions().stream().allMatch(c -> c.getObservedGeneration().equals(edge(t).getMetadata().getGeneration()))
                && java.util.Objects.requireNonNullElse(edge(t).getStatus().getAttachedListenerSets(), 0) == 0,
                () -> String.valueOf(edge(t).getStatus()));
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    /**
     * A route that names only a ListenerSet, and is refused by it, still has its status written: the set's Gateway is of a
     * Shardgate class, so the parentRef is Shardgate's to judge, whether or not a listener takes the route.
     */
    @Test
    void aRouteRefusedByEveryListenerSetItNamesSaysWhy() throws Exception {
        Tenant t = tenant();
        String secure = secureSet(t, "All");
        routeThroughSet(t, "astray", "missing", secure);
        awaitRouteCondition(t, "astray", "extra", "missing", "Accepted", "False", "NoMatchingParent");

        sharedGateway(t, (String) null);
        awaitRouteCondition(t, "astray", "extra", "missing", "Accepted", "False", "NotAllowedByListeners");
    }

    /**
     * A Gateway admitting ListenerSets by their Namespace's labels: the tenant's set is NotAllowed while its Namespace is
     * labelled for another team, and is accepted and served once it is labelled as the Gateway's selector asks.
     */
    @Test
    void allowedListenersSelectNamespacesByLabel() throws Exception {
        Tenant t = tenant();
        apply(namespace(t.ns(), "games"));
        String secure = secureSet(t, new io.fabric8.kubernetes.api.model.gatewayapi.v1.AllowedListenersBuilder().withNewNamespaces()
                .withFrom("Selector").withNewSelector().withMatchLabels(Map.of("team", "payments")).endSelector().endNamespaces().build());
        routeThroughSet(t, "secure", null, secure);
        XdsClient envoy = envoy(t);
        awaitListenerSet(t, "extra", "Accepted", "False", "NotAllowed", null);
        awaitRouteCondition(t, "secure", "extra", null, "Accepted", "False", "NotAllowedByListeners");

        apply(namespace(t.ns(), "payments"));
        await(envoy, "the set's listener serves the host once its Namespace is labelled", httpsServes(secure, t.ns() + "/secure-tls"));
        awaitListenerSet(t, "extra", "Accepted", "True", "Accepted", 1);
        awaitAttached(t, "secure", "extra", null);
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    /**
     * The tenant's Service web, its Secret "secure-tls" certifying t.host("secure"), the shared Gateway admitting these
     * ListenerSets, and the set "extra" with an HTTPS listener for that host; returns the host.
     */
    private static String secureSet(Tenant t, String allowedListeners) {
        return secureSet(t, new io.fabric8.kubernetes.api.model.gatewayapi.v1.AllowedListenersBuilder()
                .withNewNamespaces().withFrom(allowedListeners).endNamespaces().build());
    }

    private static String secureSet(Tenant t, io.fabric8.kubernetes.api.model.gatewayapi.v1.AllowedListeners allowedListeners) {
        String secure = t.host("secure");
        services(t.ns(), "web");
        certificate(t.ns(), "secure-tls", secure);
        sharedGateway(t, allowedListeners);
        apply(listenerSet(t, "extra", secure));
        return secure;
    }

    /** The tenant's Gateway "edge" with an HTTP listener, admitting ListenerSets of these namespaces (null: none). */
    private static void sharedGateway(Tenant t, String allowedListeners) {
        sharedGateway(t, allowedListeners == null ? null : new io.fabric8.kubernetes.api.model.gatewayapi.v1.AllowedListenersBuilder()
                .withNewNamespaces().withFrom(allowedListeners).endNamespaces().build());
    }

    private static void sharedGateway(Tenant t, io.fabric8.kubernetes.api.model.gatewayapi.v1.AllowedListeners allowedListeners) {
        apply(new GatewayBuilder().withMetadata(new ObjectMetaBuilder().withNamespace(t.infra()).withName("edge").build())
                .withNewSpec().withGatewayClassName(t.gateway()).withListeners(httpListener()).withAllowedListeners(allowedListeners)
                .endSpec().build());
    }

    /** The HTTPRoute "name" of the tenant's namespace, for the host, through the ListenerSet "extra" (that listener of it, or any), to web. */
    private static void routeThroughSet(Tenant t, String name, String sectionName, String host) {
        apply(new HTTPRouteBuilder().withMetadata(new ObjectMetaBuilder().withNamespace(t.ns()).withName(name).build())
                .withNewSpec().withParentRefs(new ParentReferenceBuilder().withGroup("gateway.networking.k8s.io").withKind("ListenerSet")
                        .withName("extra").withSectionName(sectionName).build())
                .withHostnames(host).withRules(rule(List.of(), backend("web"))).endSpec().build());
    }

    /** A ListenerSet of the tenant's namespace on the Gateway "edge": one HTTPS listener for the host, with "secure-tls". */
    private static io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet listenerSet(Tenant t, String name, String host) {
        return new io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSetBuilder()
                .withMetadata(new ObjectMetaBuilder().withNamespace(t.ns()).withName(name).build())
                .withNewSpec().withNewParentRef().withName("edge").withNamespace(t.infra()).endParentRef()
                .addNewListener().withName("https").withPort(443).withProtocol("HTTPS").withHostname(host)
                .withNewTls().withCertificateRefs(new SecretObjectReferenceBuilder().withName("secure-tls").build()).endTls()
                .withNewAllowedRoutes().withNewNamespaces().withFrom("Same").endNamespaces().endAllowedRoutes()
                .endListener().endSpec().build();
    }

    private static io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet writtenSet(Tenant t, String name) {
        return api().resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet.class).inNamespace(t.ns()).withName(name).get();
    }

    /** Waits until the ListenerSet holds the condition for its generation (and its listener that many routes, unless null). */
    private static void awaitListenerSet(Tenant t, String name, String type, String status, String reason, Integer attachedRoutes) {
        Conditions.awaitDescribed("ListenerSet " + name + ": " + type + "=" + status + " " + reason, WAIT, () -> {
            var set = writtenSet(t, name);
            return set.getStatus() != null && set.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals(type)
                    && c.getStatus().equals(status) && c.getReason().equals(reason)
                    && c.getObservedGeneration().equals(set.getMetadata().getGeneration()))
                    && (attachedRoutes == null || set.getStatus().getListeners().stream().anyMatch(l -> attachedRoutes.equals(l.getAttachedRoutes())));
        }, () -> String.valueOf(writtenSet(t, name).getStatus()));
    }

    private static void awaitListenerSetListener(Tenant t, String name, String listener, String type, String status, String reason) {
        Conditions.awaitDescribed("ListenerSet " + name + " listener " + listener + ": " + type + "=" + status + " " + reason, WAIT, () -> {
            var set = writtenSet(t, name);
            return set.getStatus() != null && set.getStatus().getListeners().stream().filter(l -> l.getName().equals(listener))
                    .anyMatch(l -> l.getConditions().stream().anyMatch(c -> c.getType().equals(type) && c.getStatus().equals(status)
                            && c.getReason().equals(reason)));
        }, () -> String.valueOf(writtenSet(t, name).getStatus()));
    }

    /** A fresh tenant whose Gateway has one HTTP listener, admitting routes of every namespace, and Services v1, v2 and v3. */
    private static Tenant httpTenant() {
        Tenant t = tenant();
        services(t.ns(), "v1", "v2", "v3");
        gateway(t, httpListener());
        return t;
    }

    /**
     * The HTTPRoute "name", on the http listener for the host t.host(name) with these rules: the host's virtual host holds
     * exactly these routes (as {@link #summary} writes them), and the route is Accepted with every reference resolved.
     */
    private static XdsClient awaitRoutes(Tenant t, String name, List<HTTPRouteRule> rules, String... routes) throws InterruptedException {
        String host = t.host(name);
        routeOn(t, name, "http", List.of(host), rules.toArray(HTTPRouteRule[]::new));
        XdsClient envoy = envoy(t);
        awaitServed(envoy, "http", Map.of(host, List.of(routes)));
        awaitAttached(t, name, "http");
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
        return envoy;
    }

    /** A fresh tenant with the Service web, and the Secret "secure-tls" of its infra namespace certifying t.host("secure"). */
    private static Tenant tenantWithSecureTls() {
        Tenant t = tenant();
        certificate(t.infra(), "secure-tls", t.host("secure"));
        services(t.ns(), "web");
        return t;
    }

    /**
     * A fresh tenant whose Gateway has an HTTP listener and an HTTPS one for t.host("secure") naming the Secret
     * "certificate" of the tenant's other namespace (granted to nothing yet); the route "secure", on both, forwards to web.
     */
    private static Tenant secretInOtherNamespace() {
        Tenant t = tenant();
        String secure = t.host("secure");
        certificate(t.other(), "certificate", secure);
        services(t.ns(), "web");
        gateway(t, httpListener(), httpsListener(secure, t.other(), "certificate"));
        routeOn(t, "secure", null, List.of(secure), rule(List.of(), backend("web")));
        return t;
    }

    /** The host is served over HTTPS with the Secret (namespace/name), and the listener reaching it is programmed. */
    private static void awaitServedOverHttps(Tenant t, XdsClient envoy, String listener, String host, String secret)
            throws InterruptedException {
        await(envoy, host + " served over HTTPS with " + secret, httpsServes(host, secret));
        awaitListener(t, listener, "ResolvedRefs", "True", "ResolvedRefs", 1);
        awaitListener(t, listener, "Programmed", "True", "Programmed", 1);
    }

    /** Nothing is served over HTTPS, and the listener's certificate is refused for that reason. */
    private static void awaitNotServedOverHttps(Tenant t, XdsClient envoy, String listener, String reason, int attachedRoutes)
            throws InterruptedException {
        await(envoy, "nothing served over HTTPS", NO_HTTPS);
        awaitListener(t, listener, "ResolvedRefs", "False", reason, attachedRoutes);
        awaitListener(t, listener, "Programmed", "False", "Invalid", attachedRoutes);
    }
}
