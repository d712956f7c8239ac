package io.shardgate.node.feature;

import io.shardgate.sharding.ShardId;
import static io.shardgate.node.testing.Fixtures.endpointSlice;
import static io.shardgate.node.testing.Fixtures.ingress;
import static io.shardgate.node.testing.Fixtures.ingressClass;
import static io.shardgate.node.testing.Fixtures.service;
import static io.shardgate.node.testing.Fixtures.tlsSecret;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.grpc.Status;
import io.shardgate.node.engine.TestCertificates;
import io.shardgate.node.testing.Conditions;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.ReceivedResponse;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsState;
import io.shardgate.xdsclient.XdsType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kubernetes objects go into the mock API server; an Envoy-like client on a real gRPC stream must receive
 * exactly the expected resources, and nothing else. Each test uses its own gateway (IngressClass) and
 * namespace, so they share one API server and one node.
 */
class IngressFeatureTest extends OneNodeOnMockApiServer {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** A fresh gateway and namespace for one test. */
    private record Tenant(String gateway, String ns) {
        String host(String name) {
            return name + "." + ns + ".example.com";
        }
    }

    private static Tenant tenant() {
        int n = SEQUENCE.incrementAndGet();
        Tenant t = new Tenant("gw-" + n, "tenant-" + n);
        apply(ingressClass(t.gateway(), false));
        Conditions.await("gateway " + t.gateway() + " known to the node", WAIT,
                () -> node.node().directory().gateways().containsKey(t.gateway()));
        return t;
    }

    private static XdsClient envoy(Tenant t, Mode mode) {
        return node.connect(mode, "envoy-" + t.gateway() + "-" + mode, t.gateway(), 0);
    }

    private static void await(XdsClient client, String what, Predicate<XdsState> condition) throws InterruptedException {
        assertThat(client.awaitState(condition, WAIT)).as("%s; client holds: %s", what, client.describe()).isTrue();
    }

    private static Predicate<XdsState> holdsExactly(XdsType type, String... names) {
        Set<String> expected = new TreeSet<>(Arrays.asList(names));
        return s -> s.resources(type).keySet().equals(expected);
    }

    /**
     * The client holds exactly the resources of the node's store for the tenant's shard 0, byte for byte
     * (SotW has no per-resource versions on the wire, so bodies are compared).
     */
    private static Predicate<XdsState> holdsWhatTheNodeServes(Tenant t) {
        return s -> {
            var store = node.node().directory().store(new io.shardgate.sharding.ShardId(t.gateway(), 0));
            for (XdsType type : XdsType.values()) {
                Map<String, com.google.protobuf.ByteString> served = store.all(io.shardgate.translator.resource.ResourceType.valueOf(type.name()))
                        .stream().collect(Collectors.toMap(r -> r.name(), r -> r.body()));
                Map<String, com.google.protobuf.ByteString> held = s.resources(type).entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().body()));
                if (!served.equals(held)) return false;
            }
            return true;
        };
    }

    private static Set<String> endpointAddresses(XdsClient client, String name) {
        ClusterLoadAssignment cla = client.resource(XdsType.ENDPOINT, name).message();
        return cla.getEndpointsList().stream().flatMap(l -> l.getLbEndpointsList().stream())
                .map(LbEndpoint::getEndpoint).map(e -> e.getAddress().getSocketAddress().getAddress())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<XdsType, Map<String, String>> versions(XdsClient client) {
        Map<XdsType, Map<String, String>> out = new java.util.EnumMap<>(XdsType.class);
        for (XdsType type : XdsType.values()) {
            out.put(type, client.resources(type).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().version())));
        }
        return out;
    }

    private static void seedShop(Tenant t, TestCertificates.Pem pem) {
        apply(service(t.ns(), "web").port("http", 80).build());
        apply(endpointSlice(t.ns(), "web-1", "web").port("http", 8080).endpoint("10.0.0.1", true).build());
        apply(tlsSecret(t.ns(), "shop-tls", pem.certificate().toStringUtf8(), pem.privateKey().toStringUtf8()));
        apply(ingress(t.ns(), "shop").className(t.gateway()).host(t.host("shop")).path("/", "web", 80)
                .tls(t.host("shop"), "shop-tls").build());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void createUpdateAndDeleteReachTheClientAndNothingElse(Mode mode) throws Exception {
        Tenant t = tenant();
        String shop = t.host("shop");
        String web = t.ns() + "/web:80";
        String api = t.ns() + "/api:80";
        String secret = t.ns() + "/shop-tls";
        seedShop(t, TestCertificates.selfSigned(List.of(shop)));
        XdsClient envoy = envoy(t, mode);

        await(envoy, "initial config", holdsExactly(XdsType.LISTENER, "http", "https")
                .and(holdsExactly(XdsType.ROUTE, "http", "https/" + shop))
                .and(holdsExactly(XdsType.CLUSTER, web))
                .and(holdsExactly(XdsType.ENDPOINT, web))
                .and(holdsExactly(XdsType.SECRET, secret)).and(holdsWhatTheNodeServes(t)));
        assertThat(endpointAddresses(envoy, web)).containsExactly("10.0.0.1");
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);

        // An endpoint change: only the load assignment changes.
        Map<XdsType, Map<String, String>> before = versions(envoy);
        apply(endpointSlice(t.ns(), "web-1", "web").port("http", 8080).endpoint("10.0.0.1", true)
                .endpoint("10.0.0.2", true).endpoint("10.0.0.3", false).build());
        await(envoy, "new endpoints", s -> s.resources(XdsType.ENDPOINT).containsKey(web)
                && !s.version(XdsType.ENDPOINT, web).equals(before.get(XdsType.ENDPOINT).get(web)));
        assertThat(endpointAddresses(envoy, web)).containsExactly("10.0.0.1", "10.0.0.2");
        Map<XdsType, Map<String, String>> after = versions(envoy);
        for (XdsType type : List.of(XdsType.LISTENER, XdsType.ROUTE, XdsType.CLUSTER, XdsType.SECRET)) {
            assertThat(after.get(type)).as(type.name()).isEqualTo(before.get(type));
        }

        // The Ingress grows a path to a second Service: a new cluster and a changed route.
        apply(service(t.ns(), "api").port("http", 80).build());
        apply(ingress(t.ns(), "shop").className(t.gateway()).host(shop).path("/", "web", 80).path("/api", "api", 80)
                .tls(shop, "shop-tls").build());
        await(envoy, "second cluster", holdsExactly(XdsType.CLUSTER, web, api).and(holdsExactly(XdsType.ENDPOINT, web, api)));
        RouteConfiguration route = envoy.resource(XdsType.ROUTE, "https/" + shop).message();
        assertThat(route.getVirtualHosts(0).getRoutesList()).extracting(r -> r.getRoute().getCluster()).contains(api, web);

        // Certificate rotation: only the secret changes.
        TestCertificates.Pem rotated = TestCertificates.selfSigned(List.of(shop));
        String oldSecretVersion = envoy.resource(XdsType.SECRET, secret).version();
        apply(tlsSecret(t.ns(), "shop-tls", rotated.certificate().toStringUtf8(), rotated.privateKey().toStringUtf8()));
        await(envoy, "rotated certificate", s -> !oldSecretVersion.equals(s.version(XdsType.SECRET, secret)));
        Secret sds = envoy.resource(XdsType.SECRET, secret).message();
        assertThat(sds.getTlsCertificate().getCertificateChain().getInlineBytes()).isEqualTo(rotated.certificate());

        // Deleting the Ingress removes its domain, and with it the clusters, endpoints and secret nobody else uses.
        api().network().v1().ingresses().inNamespace(t.ns()).withName("shop").delete();
        await(envoy, "everything of the domain removed", holdsExactly(XdsType.LISTENER, "http")
                .and(holdsExactly(XdsType.ROUTE, "http")).and(holdsExactly(XdsType.CLUSTER))
                .and(holdsExactly(XdsType.ENDPOINT)).and(holdsExactly(XdsType.SECRET)));
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRejectedVersionIsNeverResentAndTheNextVersionIs(Mode mode) throws Exception {
        Tenant t = tenant();
        String host = t.host("app");
        apply(service(t.ns(), "web").port("http", 80).build());
        apply(endpointSlice(t.ns(), "web-1", "web").port("http", 8080).endpoint("10.0.0.1", true).build());
        apply(ingress(t.ns(), "app").className(t.gateway()).host(host).path("/", "web", 80).build());
        XdsClient envoy = envoy(t, mode);
        // Converged, not merely named: the cluster (CDS) can arrive while the route that uses it (RDS) is still on
        // its way, and a version read then is not the one the client ends up holding.
        await(envoy, "initial config", holdsExactly(XdsType.ROUTE, "http").and(holdsExactly(XdsType.CLUSTER, t.ns() + "/web:80"))
                .and(holdsWhatTheNodeServes(t)));
        String goodVersion = envoy.resource(XdsType.ROUTE, "http").version();

        envoy.rejectWhen(r -> r.type() == XdsType.ROUTE && r.body().toStringUtf8().contains("/rejected"));
        apply(ingress(t.ns(), "app").className(t.gateway()).host(host).path("/", "web", 80).path("/rejected", "web", 80).build());
        await(envoy, "the NACK", s -> s.nacksSent() > 0);
        ReceivedResponse nacked = envoy.responses().stream().filter(ReceivedResponse::nacked).findFirst().orElseThrow();
        assertThat(envoy.resource(XdsType.ROUTE, "http").version()).isEqualTo(goodVersion);

        // Something else changes: it arrives, and the rejected route version does not come again with it.
        apply(endpointSlice(t.ns(), "web-1", "web").port("http", 8080).endpoint("10.0.0.7", true).build());
        await(envoy, "the endpoint change after the NACK", s -> s.resources(XdsType.ENDPOINT).containsKey(t.ns() + "/web:80")
                && endpointAddresses(envoy, t.ns() + "/web:80").contains("10.0.0.7"));
        assertThat(envoy.responses()).filteredOn(r -> r.type() == XdsType.ROUTE && r.arrivalNanos() > nacked.arrivalNanos())
                .as("responses after the NACK must not repeat the rejected version").isEmpty();

        // The NACK is reported on the Ingress that produced it.
        Conditions.await("an EnvoyRejected event on the Ingress", WAIT, () -> api().v1().events().inNamespace(t.ns()).list()
                .getItems().stream()
                .anyMatch(e -> "EnvoyRejected".equals(e.getReason()) && "app".equals(e.getInvolvedObject().getName())));

        // The fix is a new version and is sent normally.
        apply(ingress(t.ns(), "app").className(t.gateway()).host(host).path("/", "web", 80).path("/fixed", "web", 80).build());
        await(envoy, "the fixed route", s -> s.resource(XdsType.ROUTE, "http") != null
                && s.resource(XdsType.ROUTE, "http").body().toStringUtf8().contains("/fixed"));
    }

    @Test
    void deltaReconnectWithInitialVersionsReceivesNothingUnchanged() throws Exception {
        Tenant t = tenant();
        String shop = t.host("shop");
        String web = t.ns() + "/web:80";
        seedShop(t, TestCertificates.selfSigned(List.of(shop)));
        XdsClient envoy = envoy(t, Mode.DELTA);
        await(envoy, "initial config", holdsExactly(XdsType.SECRET, t.ns() + "/shop-tls").and(holdsExactly(XdsType.ENDPOINT, web))
                .and(s -> s.resource(XdsType.ROUTE, "https/" + shop) != null
                        && s.resource(XdsType.ROUTE, "https/" + shop).body().toStringUtf8().contains(web))
                .and(holdsWhatTheNodeServes(t)));
        int responsesBefore = envoy.responses().size();

        envoy.reconnect();
        apply(endpointSlice(t.ns(), "web-1", "web").port("http", 8080).endpoint("10.0.0.9", true).build());
        await(envoy, "the change made after reconnecting", s -> s.resources(XdsType.ENDPOINT).containsKey(web)
                && endpointAddresses(envoy, web).contains("10.0.0.9"));

        List<ReceivedResponse> sinceReconnect = envoy.responses().subList(responsesBefore, envoy.responses().size());
        assertThat(sinceReconnect).flatMap(ReceivedResponse::resources).containsOnly(web);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aClientThatStopsReadingHoldsNoBacklogAndCatchesUpWithTheLatestState(Mode mode) throws Exception {
        Tenant t = tenant();
        String web = t.ns() + "/web:80";
        apply(service(t.ns(), "web").port("http", 80).build());
        apply(ingress(t.ns(), "app").className(t.gateway()).host(t.host("app")).path("/", "web", 80).build());
        XdsClient envoy = envoy(t, mode);
        await(envoy, "initial config", holdsExactly(XdsType.ENDPOINT, web));

        envoy.pauseReading();
        // 10,000 endpoint changes straight into the engine (the mock API server would take minutes for as many).
        var engine = node.node().engine();
        for (int i = 1; i <= 10_000; i++) {
            engine.upsert(new io.shardgate.translator.input.EndpointSliceInput(t.ns(), "web-fast", "web", "IPv4",
                    List.of(new io.shardgate.translator.input.EndpointSliceInput.Port("http", 8080, "TCP")),
                    List.of(new io.shardgate.translator.input.EndpointSliceInput.Endpoint(
                            List.of("10.1." + (i / 250) + "." + (i % 250)), true, null))));
        }
        engine.whenApplied(engine.received()).get(60, TimeUnit.SECONDS);
        String nodeId = "envoy-" + t.gateway() + "-" + mode;
        var snapshot = node.node().clients().stream().filter(c -> c.nodeId().equals(nodeId)).findFirst().orElseThrow();
        assertThat(snapshot.maxUnacknowledgedResponses()).as("responses in flight per stream").isLessThanOrEqualTo(5);

        envoy.resumeReading();
        await(envoy, "the latest endpoints", s -> s.resources(XdsType.ENDPOINT).containsKey(web)
                && endpointAddresses(envoy, web).equals(Set.of("10.1.40.0")));
        long endpointResponses = envoy.responses().stream().filter(r -> r.type() == XdsType.ENDPOINT).count();
        assertThat(endpointResponses).as("10,000 changes collapse into a few responses").isLessThan(100);
    }

    @Test
    void anUnknownGatewayOrShardIsRefusedWithAClearStatus() throws Exception {
        Tenant t = tenant();
        XdsClient stranger = node.connect(Mode.DELTA, "stranger", "no-such-gateway", 0);
        Status status = stranger.terminated().get(30, TimeUnit.SECONDS);
        assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status.getDescription()).contains("no-such-gateway");

        XdsClient outOfRange = node.connect(Mode.SOTW, "out-of-range", t.gateway(), 3);
        Status shardStatus = outOfRange.terminated().get(30, TimeUnit.SECONDS);
        assertThat(shardStatus.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(shardStatus.getDescription()).contains(t.gateway()).contains("3");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void badInputHarmsOnlyItsOwnDomainAndIsReportedOnItsIngress(Mode mode) throws Exception {
        Tenant t = tenant();
        String good = t.host("good");
        String badTls = t.host("badtls");
        String badAnnotation = t.host("badannotation");
        apply(service(t.ns(), "web").port("http", 80).build());
        TestCertificates.Pem goodPem = TestCertificates.selfSigned(List.of(good));
        TestCertificates.Pem otherHostPem = TestCertificates.selfSigned(List.of("someone-else.example.org"));
        apply(tlsSecret(t.ns(), "good-tls", goodPem.certificate().toStringUtf8(), goodPem.privateKey().toStringUtf8()));
        apply(tlsSecret(t.ns(), "wrong-tls", otherHostPem.certificate().toStringUtf8(), otherHostPem.privateKey().toStringUtf8()));
        apply(ingress(t.ns(), "good").className(t.gateway()).host(good).path("/", "web", 80).tls(good, "good-tls").build());
        apply(ingress(t.ns(), "badtls").className(t.gateway()).host(badTls).path("/", "web", 80).tls(badTls, "wrong-tls").build());
        apply(ingress(t.ns(), "badannotation").className(t.gateway())
                .annotation("nginx.ingress.kubernetes.io/proxy-read-timeout", "forever")
                .host(badAnnotation).path("/", "web", 80).build());
        XdsClient envoy = envoy(t, mode);

        // The good domain has its HTTPS chain; the one with a certificate for another host is served on HTTP only.
        await(envoy, "the good domain on HTTPS, the others on HTTP", holdsExactly(XdsType.ROUTE, "http", "https/" + good)
                .and(holdsExactly(XdsType.SECRET, t.ns() + "/good-tls"))
                .and(s -> s.resource(XdsType.ROUTE, "http") != null && Set.of(good, badTls, badAnnotation).stream()
                        .allMatch(h -> s.resource(XdsType.ROUTE, "http").body().toStringUtf8().contains(h))));
        io.envoyproxy.envoy.config.listener.v3.Listener https = envoy.resource(XdsType.LISTENER, "https").message();
        assertThat(https.getFilterChainsList()).flatExtracting(c -> c.getFilterChainMatch().getServerNamesList())
                .containsExactly(good);
        assertThat(envoy.responses()).noneMatch(ReceivedResponse::nacked);

        Conditions.await("Events on the two bad Ingresses", WAIT, () -> {
            var events = api().v1().events().inNamespace(t.ns()).list().getItems();
            return events.stream().anyMatch(e -> "TlsHostMismatch".equals(e.getReason())
                    && "badtls".equals(e.getInvolvedObject().getName()))
                    && events.stream().anyMatch(e -> "InvalidAnnotation".equals(e.getReason())
                    && "badannotation".equals(e.getInvolvedObject().getName()));
        });
        assertThat(api().v1().events().inNamespace(t.ns()).list().getItems())
                .noneMatch(e -> "good".equals(e.getInvolvedObject().getName()));
        assertThat(node.node().metricsText()).contains("shardgate_rejected_inputs_total{reason=\"TlsHostMismatch\"}");
    }
}
