package io.shardgate.node.feature;

import static io.shardgate.node.testing.Fixtures.endpointSlice;
import static io.shardgate.node.testing.Fixtures.ingress;
import static io.shardgate.node.testing.Fixtures.ingressClass;
import static io.shardgate.node.testing.Fixtures.service;
import static io.shardgate.node.testing.Fixtures.tlsSecret;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.ScopedRouteConfiguration;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.grpc.Status;
import io.shardgate.node.engine.TestCertificates;
import io.shardgate.node.testing.Conditions;
import io.shardgate.sharding.ShardId;
import io.shardgate.translator.input.GatewayLayout;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.ReceivedResponse;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsState;
import io.shardgate.xdsclient.XdsType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The scoped layout end to end: an IngressClass chooses it, a Delta client follows the listener's scoped routes to
 * every domain's scope and route configuration, and a change to one domain sends that domain's route configuration
 * only. A state-of-the-world client is refused, and a class switching layouts converges its clients.
 */
class ScopedLayoutFeatureTest extends OneNodeOnMockApiServer {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private record Tenant(String gateway, String ns) {
        String host(String name) {
            return name + "." + ns + ".example.com";
        }
    }

    private static Tenant tenant(GatewayLayout layout) {
        int n = SEQUENCE.incrementAndGet();
        Tenant t = new Tenant("scoped-" + n, "scoped-tenant-" + n);
        apply(ingressClass(t, layout));
        Conditions.await("gateway " + t.gateway() + " known to the node", WAIT,
                () -> node.node().directory().gateways().containsKey(t.gateway()));
        return t;
    }

    private static IngressClass ingressClass(Tenant t, GatewayLayout layout) {
        IngressClass c = io.shardgate.node.testing.Fixtures.ingressClass(t.gateway(), false);
        c.getMetadata().setAnnotations(Map.of(GatewayLayout.ANNOTATION, layout.annotationValue()));
        return c;
    }

    private static void seed(Tenant t, String... names) {
        apply(service(t.ns(), "web").port("http", 80).build());
        apply(endpointSlice(t.ns(), "web-1", "web").port("http", 8080).endpoint("10.0.0.1", true).build());
        for (String name : names) apply(ingress(t.ns(), name).className(t.gateway()).host(t.host(name)).path("/", "web", 80).build());
    }

    private static void await(XdsClient client, String what, Predicate<XdsState> condition) throws InterruptedException {
        assertThat(client.awaitState(condition, WAIT)).as("%s; client holds: %s", what, client.describe()).isTrue();
    }

    /** The client holds exactly what the node's store serves for the tenant's shard 0, byte for byte. */
    private static Predicate<XdsState> holdsWhatTheNodeServes(Tenant t) {
        return s -> {
            var store = node.node().directory().store(new ShardId(t.gateway(), 0));
            for (XdsType type : XdsType.values()) {
                Map<String, ByteString> served = store.all(ResourceType.valueOf(type.name())).stream()
                        .collect(Collectors.toMap(r -> r.name(), r -> r.body()));
                Map<String, ByteString> held = s.resources(type).entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().body()));
                if (!served.equals(held)) return false;
            }
            return true;
        };
    }

    private static Predicate<XdsState> holdsExactly(XdsType type, String... names) {
        Set<String> expected = new TreeSet<>(List.of(names));
        return s -> s.resources(type).keySet().equals(expected);
    }

    @Test
    void aDeltaClientFollowsScopesAndAnEditSendsOneRouteConfiguration() throws Exception {
        Tenant t = tenant(GatewayLayout.SCOPED);
        String shop = t.host("shop");
        String blog = t.host("blog");
        seed(t, "shop", "blog");
        XdsClient envoy = node.connect(Mode.DELTA, "envoy-" + t.gateway(), t.gateway(), 0);

        await(envoy, "both domains' scopes", holdsExactly(XdsType.SCOPED_ROUTE, "http/" + shop, "http/" + blog)
                .and(holdsExactly(XdsType.ROUTE, "http/" + shop, "http/" + blog))
                .and(holdsExactly(XdsType.LISTENER, "http")).and(holdsWhatTheNodeServes(t)));
        ScopedRouteConfiguration scope = envoy.resource(XdsType.SCOPED_ROUTE, "http/" + shop).message();
        assertThat(scope.getKey().getFragments(0).getStringKey()).isEqualTo(shop);
        assertThat(scope.getRouteConfigurationName()).isEqualTo("http/" + shop);
        RouteConfiguration shopRoutes = envoy.resource(XdsType.ROUTE, "http/" + shop).message();
        assertThat(shopRoutes.getVirtualHostsList()).singleElement().satisfies(vh -> assertThat(vh.getDomainsList()).containsExactly(shop));

        int responsesBefore = envoy.responses().size();
        apply(ingress(t.ns(), "shop").className(t.gateway()).host(shop).path("/", "web", 80).path("/api", "web", 80).build());
        await(envoy, "shop's new route", s -> s.resource(XdsType.ROUTE, "http/" + shop) != null
                && s.resource(XdsType.ROUTE, "http/" + shop).<RouteConfiguration>message().getVirtualHosts(0).getRoutesCount() == 2);
        List<ReceivedResponse> sinceEdit = envoy.responses().subList(responsesBefore, envoy.responses().size());
        assertThat(sinceEdit).as("what the edit sent").allSatisfy(r -> {
            assertThat(r.type()).isEqualTo(XdsType.ROUTE);
            assertThat(r.resources()).containsExactly("http/" + shop);
        });

        api().network().v1().ingresses().inNamespace(t.ns()).withName("blog").delete();
        await(envoy, "blog's scope gone", holdsExactly(XdsType.SCOPED_ROUTE, "http/" + shop)
                .and(holdsExactly(XdsType.ROUTE, "http/" + shop)).and(holdsWhatTheNodeServes(t)));
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    @Test
    void aTlsDomainIsServedThroughItsScopeWithItsCertificateFetchedByItsHostName() throws Exception {
        Tenant t = tenant(GatewayLayout.SCOPED);
        String shop = t.host("shop");
        TestCertificates.Pem pem = TestCertificates.selfSigned(List.of(shop));
        apply(service(t.ns(), "web").port("http", 80).build());
        apply(endpointSlice(t.ns(), "web-1", "web").port("http", 8080).endpoint("10.0.0.1", true).build());
        apply(tlsSecret(t.ns(), "shop-tls", pem.certificate().toStringUtf8(), pem.privateKey().toStringUtf8()));
        apply(ingress(t.ns(), "shop").className(t.gateway()).host(shop).path("/", "web", 80).tls(shop, "shop-tls").build());
        XdsClient envoy = node.connect(Mode.DELTA, "envoy-tls-" + t.gateway(), t.gateway(), 0);

        await(envoy, "the HTTPS scope and routes", holdsExactly(XdsType.LISTENER, "http", "https")
                .and(holdsExactly(XdsType.SCOPED_ROUTE, "http/" + shop, "https/" + shop))
                .and(holdsExactly(XdsType.ROUTE, "http/" + shop, "https/" + shop))
                .and(holdsExactly(XdsType.SECRET)));
        Listener https = envoy.resource(XdsType.LISTENER, "https").message();
        assertThat(https.getFilterChainsList()).as("one chain, no server names").singleElement()
                .satisfies(chain -> assertThat(chain.getFilterChainMatch().getServerNamesList()).isEmpty());
        RouteConfiguration routes = envoy.resource(XdsType.ROUTE, "https/" + shop).message();
        assertThat(routes.getVirtualHostsList()).extracting(vh -> vh.getDomains(0)).containsExactly(shop, "*");
        assertThat(routes.getVirtualHosts(1).getRoutes(0).getDirectResponse().getStatus()).isEqualTo(421);

        envoy.handshake(shop);
        await(envoy, "the certificate under the host's name, and nothing the node serves left unfetched",
                holdsExactly(XdsType.SECRET, shop).and(holdsWhatTheNodeServes(t)));
        Secret secret = envoy.resource(XdsType.SECRET, shop).message();
        assertThat(secret.getName()).isEqualTo(shop);
        assertThat(secret.getTlsCertificate().getCertificateChain().getInlineBytes()).isEqualTo(pem.certificate());

        String stranger = t.host("unknown");
        envoy.handshake(stranger);
        await(envoy, "an unknown name answered as absent, which fails the handshake at once", s -> s.responses().stream()
                .anyMatch(r -> r.type() == XdsType.SECRET && r.removed().contains(stranger)));
        assertThat(envoy.resources(XdsType.SECRET)).containsOnlyKeys(shop);
        await(envoy, "the failed name unsubscribed, as Envoy's selector does", s -> !s.subscriptions(XdsType.SECRET).contains(stranger)
                && s.subscriptions(XdsType.SECRET).contains(shop));
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    @Test
    void aStateOfTheWorldClientIsRefusedWithWhatToChange() throws Exception {
        Tenant t = tenant(GatewayLayout.SCOPED);
        seed(t, "shop");
        XdsClient envoy = node.connect(Mode.SOTW, "envoy-sotw-" + t.gateway(), t.gateway(), 0);

        Status ended = envoy.terminated().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(ended.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(ended.getDescription()).contains("scoped", "DELTA_GRPC");
    }

    @Test
    void aClassSwitchingLayoutsMovesItsClientsBothWays() throws Exception {
        Tenant t = tenant(GatewayLayout.CLASSIC);
        String shop = t.host("shop");
        seed(t, "shop", "blog");
        XdsClient envoy = node.connect(Mode.DELTA, "envoy-switch-" + t.gateway(), t.gateway(), 0);
        await(envoy, "the classic layout", holdsExactly(XdsType.ROUTE, "http").and(holdsExactly(XdsType.SCOPED_ROUTE))
                .and(holdsWhatTheNodeServes(t)));

        apply(ingressClass(t, GatewayLayout.SCOPED));
        await(envoy, "the scoped layout", holdsExactly(XdsType.ROUTE, "http/" + shop, "http/" + t.host("blog"))
                .and(holdsExactly(XdsType.SCOPED_ROUTE, "http/" + shop, "http/" + t.host("blog"))).and(holdsWhatTheNodeServes(t)));

        apply(ingressClass(t, GatewayLayout.CLASSIC));
        await(envoy, "classic again", holdsExactly(XdsType.ROUTE, "http").and(holdsExactly(XdsType.SCOPED_ROUTE))
                .and(holdsWhatTheNodeServes(t)));
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    @Test
    void aWildcardHostIsReportedAsNotServedOnPlainHttp() {
        Tenant t = tenant(GatewayLayout.SCOPED);
        apply(service(t.ns(), "web").port("http", 80).build());
        apply(ingress(t.ns(), "wild").className(t.gateway()).host("*." + t.ns() + ".example.com").path("/", "web", 80).build());

        Conditions.await("HostNotScoped reported on the Ingress", WAIT, () -> api().v1().events().inNamespace(t.ns()).list()
                .getItems().stream().anyMatch(e -> "HostNotScoped".equals(e.getReason()) && "wild".equals(e.getInvolvedObject().getName())));
    }
}
