package io.shardgate.node.feature;

import static io.shardgate.node.testing.Fixtures.service;
import static io.shardgate.node.testing.Fixtures.tlsSecret;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerTLSConfigBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrantFromBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrantToBuilder;
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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Gateway API objects go into the mock API server; an Envoy-like client on a real gRPC stream must receive what they
 * ask for. Each test is named after the core conformance test it mirrors and uses its own GatewayClass (a Shardgate
 * gateway) and namespaces, so they share one API server and one node. Each asserts what Envoy receives and the
 * status written (docs/gateway-api.md, "Status").
 */
class GatewayApiFeatureTest extends OneNodeOnMockApiServer {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** A fresh Shardgate gateway (GatewayClass), and the namespaces of one test. */
    private record Tenant(String gateway, String ns, String infra, String other) {
        String host(String name) {
            return name + "." + ns + ".example.com";
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

    /** A Gateway in the tenant's infra namespace with the given listeners. */
    private static void gateway(Tenant t, io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener... listeners) {
        apply(new GatewayBuilder().withMetadata(new ObjectMetaBuilder().withNamespace(t.infra()).withName("edge").build())
                .withNewSpec().withGatewayClassName(t.gateway()).withListeners(listeners).endSpec().build());
    }

    private static io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener httpListener() {
        return new ListenerBuilder().withName("http").withPort(80).withProtocol("HTTP")
                .withNewAllowedRoutes().withNewNamespaces().withFrom("All").endNamespaces().endAllowedRoutes().build();
    }

    private static io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener httpsListener(String hostname, String secretNamespace,
            String secretName) {
        return new ListenerBuilder().withName("https").withPort(443).withProtocol("HTTPS").withHostname(hostname)
                .withTls(new ListenerTLSConfigBuilder().withCertificateRefs(new SecretObjectReferenceBuilder()
                        .withNamespace(secretNamespace).withName(secretName).build()).build())
                .withNewAllowedRoutes().withNewNamespaces().withFrom("All").endNamespaces().endAllowedRoutes().build();
    }

    /** An HTTPRoute of the tenant's namespace for one host, forwarding everything to one Service. */
    private static void route(Tenant t, String name, String sectionName, String host, String backendNamespace, String backend) {
        route(t, name, sectionName, host, new HTTPBackendRefBuilder().withNamespace(backendNamespace).withName(backend).withPort(80).build());
    }

    /** An HTTPRoute of the tenant's namespace on the listener of the tenant's Gateway, for one host, to one backend. */
    private static void route(Tenant t, String name, String sectionName, String host, HTTPBackendRef backend) {
        apply(new HTTPRouteBuilder().withMetadata(new ObjectMetaBuilder().withNamespace(t.ns()).withName(name).build())
                .withNewSpec()
                .withParentRefs(new ParentReferenceBuilder().withNamespace(t.infra()).withName("edge").withSectionName(sectionName).build())
                .withHostnames(host)
                .withRules(new HTTPRouteRuleBuilder().withBackendRefs(backend).build())
                .endSpec().build());
    }

    /** An HTTPRoute of the tenant's namespace on every listener of the tenant's Gateway, for one host. */
    private static void routeOnEdge(Tenant t, String name, String host, io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule... rules) {
        apply(new HTTPRouteBuilder().withMetadata(new ObjectMetaBuilder().withNamespace(t.ns()).withName(name).build())
                .withNewSpec().withParentRefs(new ParentReferenceBuilder().withNamespace(t.infra()).withName("edge").build())
                .withHostnames(host).withRules(rules).endSpec().build());
    }

    /**
     * A host served through an HTTPS listener of the tenant's Gateway whose certificate is a Secret in the tenant's
     * other namespace (so it needs a ReferenceGrant there), and through its HTTP listener; @return the host
     */
    private static String secureHostWithCertificateElsewhere(Tenant t, String secretName) {
        String secure = t.host("secure");
        TestCertificates.Pem pem = TestCertificates.selfSigned(List.of(secure));
        apply(tlsSecret(t.other(), secretName, pem.certificate().toStringUtf8(), pem.privateKey().toStringUtf8()));
        apply(service(t.ns(), "web").port("http", 80).build());
        gateway(t, httpListener(), httpsListener(secure, t.other(), secretName));
        route(t, "secure", null, secure, null, "web");
        return secure;
    }

    private static ReferenceGrant grant(String namespace, String fromKind, String fromNamespace, String toKind) {
        return new ReferenceGrantBuilder().withMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName("grant").build())
                .withNewSpec()
                .withFrom(new ReferenceGrantFromBuilder().withGroup("gateway.networking.k8s.io").withKind(fromKind)
                        .withNamespace(fromNamespace).build())
                .withTo(new ReferenceGrantToBuilder().withGroup("").withKind(toKind).build())
                .endSpec().build();
    }

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

    // ---- status, as read back from the API server ----

    private static HTTPRoute route(Tenant t, String name) {
        return api().resources(HTTPRoute.class).inNamespace(t.ns()).withName(name).get();
    }

    /** The condition of the route's status entry for its parentRef with that sectionName (null: the one without). */
    private static Optional<io.fabric8.kubernetes.api.model.Condition> routeCondition(HTTPRoute route, String sectionName,
            String type) {
        if (route == null || route.getStatus() == null || route.getStatus().getParents() == null) return Optional.empty();
        return route.getStatus().getParents().stream()
                .filter(p -> "shardgate.io/controller".equals(p.getControllerName()))
                .filter(p -> java.util.Objects.equals(p.getParentRef().getSectionName(), sectionName))
                .flatMap(p -> p.getConditions().stream()).filter(c -> c.getType().equals(type)).findFirst();
    }

    /** Waits until the route's entry for that parentRef holds the condition, for the route's current generation. */
    private static void awaitRouteCondition(Tenant t, String name, String sectionName, String type, String status, String reason) {
        Conditions.awaitDescribed("HTTPRoute " + name + " parent " + sectionName + ": " + type + "=" + status + " " + reason, WAIT, () -> {
            HTTPRoute route = route(t, name);
            return routeCondition(route, sectionName, type).filter(c -> c.getStatus().equals(status) && c.getReason().equals(reason)
                    && c.getObservedGeneration().equals(route.getMetadata().getGeneration())).isPresent();
        }, () -> String.valueOf(route(t, name) == null ? null : route(t, name).getStatus()));
    }

    private static io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway edge(Tenant t) {
        return gatewayObject(t, "edge");
    }

    private static io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway gatewayObject(Tenant t, String name) {
        return api().resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway.class).inNamespace(t.infra()).withName(name).get();
    }

    /** Waits until the listener of the Gateway "edge" holds the condition and that many attached routes. */
    private static void awaitListener(Tenant t, String listener, String type, String status, String reason, int attachedRoutes) {
        awaitListener(t, "edge", listener, type, status, reason, attachedRoutes);
    }

    private static void awaitListener(Tenant t, String gatewayName, String listener, String type, String status, String reason,
            int attachedRoutes) {
        Conditions.awaitDescribed("Gateway " + gatewayName + " listener " + listener + ": " + type + "=" + status + " " + reason
                + ", " + attachedRoutes + " routes", WAIT, () -> {
            var gateway = gatewayObject(t, gatewayName);
            if (gateway == null || gateway.getStatus() == null || gateway.getStatus().getListeners() == null) return false;
            return gateway.getStatus().getListeners().stream().filter(l -> l.getName().equals(listener))
                    .anyMatch(l -> l.getAttachedRoutes() == attachedRoutes && l.getConditions().stream().anyMatch(c -> c.getType().equals(type)
                            && c.getStatus().equals(status) && c.getReason().equals(reason)
                            && c.getObservedGeneration().equals(gateway.getMetadata().getGeneration())));
        }, () -> String.valueOf(gatewayObject(t, gatewayName) == null ? null : gatewayObject(t, gatewayName).getStatus()));
    }

    /** The route's namespace is not the Gateway's; the listener admits every namespace. */
    @Test
    void httpRouteCrossNamespace() throws Exception {
        Tenant t = tenant();
        String host = t.host("web");
        apply(service(t.ns(), "web").port("http", 80).build());
        gateway(t, httpListener());
        route(t, "web", "http", host, null, "web");
        XdsClient envoy = envoy(t);

        await(envoy, "the route forwards to the Service's cluster", forwards("http", host, t.ns() + "/web:80")
                .and(s -> s.resources(XdsType.CLUSTER).containsKey(t.ns() + "/web:80")));
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    @Test
    void httpRouteReferenceGrant() throws Exception {
        Tenant t = tenant();
        String host = t.host("cross");
        apply(service(t.other(), "web").port("http", 80).build());
        gateway(t, httpListener());
        route(t, "cross", "http", host, t.other(), "web");
        XdsClient envoy = envoy(t);

        // HTTPRouteInvalidCrossNamespaceBackendRef: no grant, so the backend is not used and the rule answers 500.
        await(envoy, "no ReferenceGrant: 500", answers("http", host, 500));
        awaitRouteCondition(t, "cross", "http", "ResolvedRefs", "False", "RefNotPermitted");
        awaitRouteCondition(t, "cross", "http", "Accepted", "True", "Accepted");
        Conditions.await("RefNotPermitted reported on the HTTPRoute", WAIT, () -> api().v1().events().inNamespace(t.ns()).list()
                .getItems().stream().anyMatch(e -> "RefNotPermitted".equals(e.getReason()) && "cross".equals(e.getInvolvedObject().getName())));

        apply(grant(t.other(), "HTTPRoute", t.ns(), "Service"));
        await(envoy, "the grant admits the route: it forwards", forwards("http", host, t.other() + "/web:80"));
        awaitRouteCondition(t, "cross", "http", "ResolvedRefs", "True", "ResolvedRefs");

        api().resource(grant(t.other(), "HTTPRoute", t.ns(), "Service")).delete();
        await(envoy, "the grant is revoked: 500 again", answers("http", host, 500));
        awaitRouteCondition(t, "cross", "http", "ResolvedRefs", "False", "RefNotPermitted");
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    @Test
    void httpRouteHttpsListener() throws Exception {
        Tenant t = tenant();
        String secure = t.host("secure");
        String plain = t.host("plain");
        TestCertificates.Pem pem = TestCertificates.selfSigned(List.of(secure));
        apply(tlsSecret(t.infra(), "secure-tls", pem.certificate().toStringUtf8(), pem.privateKey().toStringUtf8()));
        apply(service(t.ns(), "web").port("http", 80).build());
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

    @Test
    void gatewaySecretReferenceGrantAllInNamespace() throws Exception {
        Tenant t = tenant();
        String secure = secureHostWithCertificateElsewhere(t, "shared-tls");
        XdsClient envoy = envoy(t);

        // GatewaySecretMissingReferenceGrant: the certificate is in another namespace and nothing admits the Gateway.
        await(envoy, "no grant: plain HTTP only", forwards("http", secure, t.ns() + "/web:80")
                .and(s -> s.resource(XdsType.LISTENER, "https") == null));
        Conditions.await("RefNotPermitted reported on the Gateway", WAIT, () -> api().v1().events().inNamespace(t.infra()).list()
                .getItems().stream().anyMatch(e -> "RefNotPermitted".equals(e.getReason()) && "Gateway".equals(e.getInvolvedObject().getKind())));
        awaitListener(t, "https", "ResolvedRefs", "False", "RefNotPermitted", 1);
        awaitListener(t, "https", "Programmed", "False", "Invalid", 1);

        apply(grant(t.other(), "Gateway", t.infra(), "Secret"));
        await(envoy, "the grant admits the Gateway: HTTPS with the certificate", httpsServes(secure)
                .and(s -> s.resources(XdsType.SECRET).containsKey(t.other() + "/shared-tls")));
        awaitListener(t, "https", "ResolvedRefs", "True", "ResolvedRefs", 1);
        awaitListener(t, "https", "Programmed", "True", "Programmed", 1);
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    @Test
    void gatewayWithAttachedRoutes() throws Exception {
        Tenant t = tenant();
        apply(service(t.ns(), "web").port("http", 80).build());
        gateway(t, httpListener(), new ListenerBuilder().withName("own-namespace").withPort(8080).withProtocol("HTTP").build());
        route(t, "one", "http", t.host("one"), null, "web");
        route(t, "two", null, t.host("two"), null, "web");

        awaitListener(t, "http", "Accepted", "True", "Accepted", 2);
        awaitListener(t, "own-namespace", "Programmed", "True", "Programmed", 0);
        Conditions.awaitDescribed("the Gateway Accepted and Programmed", WAIT, () -> {
            var gateway = edge(t);
            return gateway.getStatus() != null && gateway.getStatus().getConditions().stream()
                    .filter(c -> c.getStatus().equals("True")).map(c -> c.getType()).toList().containsAll(List.of("Accepted", "Programmed"));
        }, () -> String.valueOf(edge(t).getStatus()));

        // HTTPRouteInvalidCrossNamespaceParentRef: a listener admitting its own namespace only takes no route of another.
        route(t, "foreign", "own-namespace", t.host("foreign"), null, "web");
        awaitRouteCondition(t, "foreign", "own-namespace", "Accepted", "False", "NotAllowedByListeners");
        awaitListener(t, "own-namespace", "Programmed", "True", "Programmed", 0);

        api().resources(HTTPRoute.class).inNamespace(t.ns()).withName("two").delete();
        awaitListener(t, "http", "Accepted", "True", "Accepted", 1);
    }

    @Test
    void httpRouteInvalidNonExistentBackendRefAndUnknownKind() throws Exception {
        Tenant t = tenant();
        String host = t.host("missing");
        gateway(t, httpListener());
        route(t, "missing", "http", host, null, "not-yet");
        XdsClient envoy = envoy(t);

        await(envoy, "a missing Service: 500", answers("http", host, 500));
        awaitRouteCondition(t, "missing", "http", "ResolvedRefs", "False", "BackendNotFound");
        awaitRouteCondition(t, "missing", "http", "Accepted", "True", "Accepted");

        apply(service(t.ns(), "not-yet").port("http", 80).build());
        await(envoy, "the Service appears: the route forwards", forwards("http", host, t.ns() + "/not-yet:80"));
        awaitRouteCondition(t, "missing", "http", "ResolvedRefs", "True", "ResolvedRefs");

        route(t, "unknown-kind", "http", t.host("bucket"), new HTTPBackendRefBuilder().withGroup("example.com").withKind("Bucket")
                .withName("assets").build());
        awaitRouteCondition(t, "unknown-kind", "http", "ResolvedRefs", "False", "InvalidKind");
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
    void gatewayInvalidTlsConfiguration() throws Exception {
        Tenant t = tenant();
        gateway(t, new ListenerBuilder().withName("no-refs").withPort(443).withProtocol("HTTPS").withHostname(t.host("a"))
                        .withTls(new ListenerTLSConfigBuilder().build()).build(),
                httpsListener(t.host("b"), null, "does-not-exist").edit().withName("missing-secret").build());
        awaitListener(t, "no-refs", "ResolvedRefs", "False", "InvalidCertificateRef", 0);
        awaitListener(t, "no-refs", "Programmed", "False", "Invalid", 0);
        awaitListener(t, "missing-secret", "ResolvedRefs", "False", "InvalidCertificateRef", 0);
        awaitListener(t, "missing-secret", "Programmed", "False", "Invalid", 0);
    }

    @Test
    void gatewayModifyListeners() throws Exception {
        Tenant t = tenant();
        String host = t.host("web");
        apply(service(t.ns(), "web").port("http", 80).build());
        gateway(t, httpListener());
        route(t, "web", null, host, null, "web");
        XdsClient envoy = envoy(t);
        awaitListener(t, "http", "Programmed", "True", "Programmed", 1);

        var extra = new ListenerBuilder().withName("extra").withPort(8080).withProtocol("HTTP")
                .withNewAllowedRoutes().withNewNamespaces().withFrom("All").endNamespaces().endAllowedRoutes().build();
        gateway(t, httpListener(), extra);
        awaitListener(t, "extra", "Programmed", "True", "Programmed", 1);
        awaitListener(t, "http", "Programmed", "True", "Programmed", 1);

        gateway(t, extra);
        Conditions.awaitDescribed("the removed listener leaves the status", WAIT, () -> edge(t).getStatus() != null
                && edge(t).getStatus().getListeners().stream().map(l -> l.getName()).toList().equals(List.of("extra")),
                () -> String.valueOf(edge(t).getStatus()));
        await(envoy, "the route is still served, through the listener left", forwards("http", host, t.ns() + "/web:80"));
        awaitRouteCondition(t, "web", null, "Accepted", "True", "Accepted");
    }

    @Test
    void httpRouteMultipleGateways() throws Exception {
        Tenant t = tenant();
        apply(service(t.ns(), "web").port("http", 80).build());
        gateway(t, httpListener());
        apply(new GatewayBuilder().withMetadata(new ObjectMetaBuilder().withNamespace(t.infra()).withName("edge-2").build())
                .withNewSpec().withGatewayClassName(t.gateway()).withListeners(httpListener()).endSpec().build());
        apply(new HTTPRouteBuilder().withMetadata(new ObjectMetaBuilder().withNamespace(t.ns()).withName("both").build())
                .withNewSpec()
                .withParentRefs(new ParentReferenceBuilder().withNamespace(t.infra()).withName("edge").build(),
                        new ParentReferenceBuilder().withNamespace(t.infra()).withName("edge-2").build())
                .withHostnames(t.host("both"))
                .withRules(new HTTPRouteRuleBuilder().withBackendRefs(new HTTPBackendRefBuilder().withName("web").withPort(80).build()).build())
                .endSpec().build());
        XdsClient envoy = envoy(t);

        await(envoy, "the route is served", forwards("http", t.host("both"), t.ns() + "/web:80"));
        awaitListener(t, "edge", "http", "Accepted", "True", "Accepted", 1);
        awaitListener(t, "edge-2", "http", "Accepted", "True", "Accepted", 1);
        Conditions.awaitDescribed("both parents Accepted", WAIT, () -> {
            HTTPRoute route = route(t, "both");
            return route.getStatus() != null && route.getStatus().getParents().size() == 2 && route.getStatus().getParents().stream()
                    .allMatch(p -> p.getConditions().stream().anyMatch(c -> c.getType().equals("Accepted") && c.getStatus().equals("True")));
        }, () -> String.valueOf(route(t, "both").getStatus()));
    }

    @Test
    void httpRouteSimpleSameNamespace() throws Exception {
        Tenant t = tenant();
        String host = t.host("same");
        apply(service(t.infra(), "web").port("http", 80).build());
        gateway(t, new ListenerBuilder().withName("http").withPort(80).withProtocol("HTTP").build()); // admits its namespace only
        apply(new HTTPRouteBuilder().withMetadata(new ObjectMetaBuilder().withNamespace(t.infra()).withName("same").build())
                .withNewSpec().withParentRefs(new ParentReferenceBuilder().withName("edge").build()).withHostnames(host)
                .withRules(new HTTPRouteRuleBuilder().withBackendRefs(new HTTPBackendRefBuilder().withName("web").withPort(80).build()).build())
                .endSpec().build());
        XdsClient envoy = envoy(t);

        await(envoy, "the route forwards to the Service's cluster", forwards("http", host, t.infra() + "/web:80"));
        awaitListener(t, "http", "Accepted", "True", "Accepted", 1);
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    @Test
    void httpRouteWeightAndRequestHeaderModifier() throws Exception {
        Tenant t = tenant();
        String host = t.host("split");
        apply(service(t.ns(), "web").port("http", 80).build());
        apply(service(t.ns(), "canary").port("http", 80).build());
        gateway(t, httpListener());
        routeOnEdge(t, "split", host, new HTTPRouteRuleBuilder()
                        .withFilters(new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilterBuilder().withType("RequestHeaderModifier")
                                .withNewRequestHeaderModifier().addNewSet().withName("X-Shard").withValue("on").endSet().endRequestHeaderModifier()
                                .build())
                        .withBackendRefs(new HTTPBackendRefBuilder().withName("web").withPort(80).withWeight(70).build(),
                                new HTTPBackendRefBuilder().withName("canary").withPort(80).withWeight(30).build()).build());
        XdsClient envoy = envoy(t);

        await(envoy, "70/30 between the two Services, the header set", onlyRoute("http", host, r ->
                r.getRoute().getWeightedClusters().getClustersList().stream()
                        .map(c -> c.getName() + "=" + c.getWeight().getValue()).toList()
                        .equals(List.of(t.ns() + "/web:80=70", t.ns() + "/canary:80=30"))
                && r.getRequestHeadersToAddList().stream().anyMatch(h -> h.getHeader().getKey().equals("x-shard")
                        && h.getHeader().getValue().equals("on"))));
        awaitRouteCondition(t, "split", null, "ResolvedRefs", "True", "ResolvedRefs");
    }

    @Test
    void httpRouteRedirectHostAndStatus() throws Exception {
        Tenant t = tenant();
        String host = t.host("old");
        gateway(t, httpListener());
        routeOnEdge(t, "moved", host, new HTTPRouteRuleBuilder()
                .withFilters(new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilterBuilder().withType("RequestRedirect")
                        .withNewRequestRedirect().withHostname("new.example.com").withStatusCode(301).endRequestRedirect().build())
                .build());
        XdsClient envoy = envoy(t);

        await(envoy, "a 301 to the new host", onlyRoute("http", host, r -> r.getRedirect().getHostRedirect().equals("new.example.com")
                && r.getRedirect().getResponseCode() == io.envoyproxy.envoy.config.route.v3.RedirectAction.RedirectResponseCode.MOVED_PERMANENTLY));
        awaitRouteCondition(t, "moved", null, "Accepted", "True", "Accepted");
    }

    @Test
    void httpRouteNoBackendRefs() throws Exception {
        Tenant t = tenant();
        String host = t.host("empty");
        gateway(t, httpListener());
        routeOnEdge(t, "empty", host, new HTTPRouteRuleBuilder().build());
        XdsClient envoy = envoy(t);

        await(envoy, "no backend: 500", answers("http", host, 500));
        awaitRouteCondition(t, "empty", null, "ResolvedRefs", "True", "ResolvedRefs");
        awaitRouteCondition(t, "empty", null, "Accepted", "True", "Accepted");
    }

    /** One backend in another namespace that no grant admits: its share answers 500, the other is served. */
    @Test
    void httpRoutePartiallyInvalidViaInvalidReferenceGrant() throws Exception {
        Tenant t = tenant();
        String host = t.host("partly");
        apply(service(t.ns(), "web").port("http", 80).build());
        apply(service(t.other(), "web").port("http", 80).build());
        // HTTPRouteInvalidReferenceGrant: a grant for Gateways, not HTTPRoutes, admits nothing here.
        apply(grant(t.other(), "Gateway", t.ns(), "Service"));
        gateway(t, httpListener());
        routeOnEdge(t, "partly", host, new HTTPRouteRuleBuilder().withBackendRefs(new HTTPBackendRefBuilder().withName("web").withPort(80).build(),
                new HTTPBackendRefBuilder().withNamespace(t.other()).withName("web").withPort(80).build()).build());
        XdsClient envoy = envoy(t);

        await(envoy, "the local share forwarded, the other's answered 500", onlyRoute("http", host, r ->
                r.getRoute().getWeightedClustersOrBuilder().getClustersList().stream().map(c -> c.getName()).toList()
                        .equals(List.of(t.ns() + "/web:80", "unusable-backend"))));
        awaitRouteCondition(t, "partly", null, "ResolvedRefs", "False", "RefNotPermitted");
    }

    @Test
    void httpRouteServiceTypes() throws Exception {
        Tenant t = tenant();
        apply(service(t.ns(), "cluster-ip").port("http", 80).build());
        var headless = service(t.ns(), "headless").port("http", 80).build();
        headless.getSpec().setClusterIP("None");
        apply(headless);
        var external = service(t.ns(), "external").port("http", 80).build();
        external.getSpec().setType("ExternalName");
        external.getSpec().setExternalName("backend.example.net");
        apply(external);
        gateway(t, httpListener());
        for (String name : List.of("cluster-ip", "headless", "external")) route(t, name, "http", t.host(name), null, name);
        XdsClient envoy = envoy(t);

        await(envoy, "ClusterIP and headless Services forward; ExternalName answers 500",
                forwards("http", t.host("cluster-ip"), t.ns() + "/cluster-ip:80").and(forwards("http", t.host("headless"), t.ns() + "/headless:80"))
                        .and(answers("http", t.host("external"), 500)));
        awaitRouteCondition(t, "external", "http", "ResolvedRefs", "False", "InvalidKind");
        awaitRouteCondition(t, "headless", "http", "ResolvedRefs", "True", "ResolvedRefs");
    }

    /** HTTPRouteHostnameIntersection and HTTPRouteListenerHostnameMatching: hosts are those the listener and route share. */
    @Test
    void httpRouteHostnameIntersection() throws Exception {
        Tenant t = tenant();
        apply(service(t.ns(), "web").port("http", 80).build());
        String wildcard = "*." + t.ns() + ".example.com";
        gateway(t, httpListener().edit().withHostname(wildcard).build());
        apply(new HTTPRouteBuilder().withMetadata(new ObjectMetaBuilder().withNamespace(t.ns()).withName("many").build())
                .withNewSpec().withParentRefs(new ParentReferenceBuilder().withNamespace(t.infra()).withName("edge").build())
                .withHostnames(t.host("a"), "deep.b." + t.ns() + ".example.com", "elsewhere.example.org")
                .withRules(new HTTPRouteRuleBuilder().withBackendRefs(new HTTPBackendRefBuilder().withName("web").withPort(80).build()).build())
                .endSpec().build());
        route(t, "outside", "http", "only.example.org", null, "web");
        XdsClient envoy = envoy(t);

        await(envoy, "the hosts under the listener's wildcard, at any depth", forwards("http", t.host("a"), t.ns() + "/web:80")
                .and(forwards("http", "deep.b." + t.ns() + ".example.com", t.ns() + "/web:80")));
        RouteConfiguration http = envoy.resource(XdsType.ROUTE, "http").message();
        assertThat(http.getVirtualHostsList()).extracting(VirtualHost::getName).doesNotContain("elsewhere.example.org", "only.example.org");
        awaitRouteCondition(t, "outside", "http", "Accepted", "False", "NoMatchingListenerHostname");
        awaitListener(t, "http", "Accepted", "True", "Accepted", 1);
    }

    /**
     * HTTPRouteMatching, HTTPRouteExactPathMatching, HTTPRouteHeaderMatching, HTTPRoutePathMatchOrder and
     * HTTPRouteMatchingAcrossRoutes: two routes on one host; Envoy gets their matches in the specification's order.
     */
    @Test
    void httpRouteMatchingAcrossRoutes() throws Exception {
        Tenant t = tenant();
        String host = t.host("match");
        apply(service(t.ns(), "v1").port("http", 80).build());
        apply(service(t.ns(), "v2").port("http", 80).build());
        gateway(t, httpListener());
        apply(matchingRoute(t, "first", "2024-01-01T00:00:00Z", host, new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatchBuilder()
                .withNewPath().withType("PathPrefix").withValue("/").endPath().build(), "v1"));
        apply(matchingRoute(t, "second", "2024-01-02T00:00:00Z", host, new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatchBuilder()
                .withNewPath().withType("PathPrefix").withValue("/").endPath()
                .addNewHeader().withName("Version").withValue("two").endHeader().build(), "v2"));
        apply(matchingRoute(t, "exact", "2024-01-03T00:00:00Z", host, new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatchBuilder()
                .withNewPath().withType("Exact").withValue("/exact").endPath().build(), "v2"));
        XdsClient envoy = envoy(t);

        await(envoy, "Exact first, then the header match, then the bare prefix", s -> virtualHost(s, "http", host).map(v ->
                v.getRoutesList().stream().map(r -> (r.getMatch().hasPath() ? "=" + r.getMatch().getPath() : r.getMatch().getPrefix())
                        + (r.getMatch().getHeadersCount() > 0 ? "+" + r.getMatch().getHeaders(0).getName() : "") + ">" + r.getRoute().getCluster())
                        .toList().equals(List.of("=/exact>" + t.ns() + "/v2:80", "/+version>" + t.ns() + "/v2:80", "/>" + t.ns() + "/v1:80")))
                .orElse(false));
        for (String route : List.of("first", "second", "exact")) awaitRouteCondition(t, route, null, "Accepted", "True", "Accepted");
    }

    private static HTTPRoute matchingRoute(Tenant t, String name, String created, String host,
            io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch match, String backend) {
        return new HTTPRouteBuilder().withMetadata(new ObjectMetaBuilder().withNamespace(t.ns()).withName(name).withCreationTimestamp(created).build())
                .withNewSpec().withParentRefs(new ParentReferenceBuilder().withNamespace(t.infra()).withName("edge").build())
                .withHostnames(host)
                .withRules(new HTTPRouteRuleBuilder().withMatches(match)
                        .withBackendRefs(new HTTPBackendRefBuilder().withName(backend).withPort(80).build()).build())
                .endSpec().build();
    }

    /** GatewaySecretReferenceGrantSpecific, then GatewaySecretInvalidReferenceGrant: a grant naming the Secret, then another. */
    @Test
    void gatewaySecretReferenceGrantSpecific() throws Exception {
        Tenant t = tenant();
        String secure = secureHostWithCertificateElsewhere(t, "named-tls");
        ReferenceGrant specific = grant(t.other(), "Gateway", t.infra(), "Secret");
        specific.getSpec().getTo().get(0).setName("named-tls");
        apply(specific);
        XdsClient envoy = envoy(t);

        await(envoy, "the grant names the Secret: HTTPS served", httpsServes(secure));
        awaitListener(t, "https", "ResolvedRefs", "True", "ResolvedRefs", 1);

        specific.getSpec().getTo().get(0).setName("another-tls");
        apply(specific);
        await(envoy, "the grant names another Secret: HTTPS no longer served", s -> !httpsServes(secure).test(s));
        awaitListener(t, "https", "ResolvedRefs", "False", "RefNotPermitted", 1);
    }
}
