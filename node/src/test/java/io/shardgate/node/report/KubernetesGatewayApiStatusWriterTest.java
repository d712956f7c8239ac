package io.shardgate.node.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteSpec;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.shardgate.node.testing.Conditions;
import io.shardgate.node.testing.KubeMockExtension;
import io.shardgate.translator.input.HttpRouteInput.ParentRef;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.status.Condition;
import io.shardgate.translator.status.GatewayClassStatus;
import io.shardgate.translator.status.GatewayStatus;
import io.shardgate.translator.status.ListenerSetStatus;
import io.shardgate.translator.status.HttpRouteStatus;
import io.shardgate.translator.status.ListenerStatus;
import io.shardgate.translator.status.RouteParentStatus;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KubernetesGatewayApiStatusWriterTest {
    private static final String API = "gateway.networking.k8s.io/v1";
    private static final String NS = "routes";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String T1 = "2026-01-02T03:04:05Z";
    private static final String T2 = "2026-01-02T04:00:00Z";
    private static final String T3 = "2026-01-02T05:00:00Z";
    /** Another controller's entry, set before Shardgate writes. */
    private static final String OTHER = theirEntry("theirs");
    private static final ParentRef EDGE = new ParentRef(null, null, null, "edge", null, null);
    private static final ParentRef INFRA = new ParentRef("gateway.networking.k8s.io", "Gateway", "infra", "shared", "https", 443);

    @RegisterExtension
    static final KubeMockExtension kube = new KubeMockExtension();

    private final TestClock clock = new TestClock("2026-01-02T03:04:05.678Z");

    @Test
    void routeStatusHoldsShardgatesParentsAfterAnotherControllersEntry() {
        Resource<GenericKubernetesResource> route = routeWithTheirEntry("two");
        HTTPRouteSpec spec = typedRoute("two").getSpec();

        try (KubernetesGatewayApiStatusWriter writer = writer()) {
            writer.route(new HttpRouteStatus(routeRef("two"), 4, List.of(
                    new RouteParentStatus(EDGE, List.of(Condition.isTrue("Accepted", "Accepted", "attached"),
                            Condition.isTrue("ResolvedRefs", "ResolvedRefs", "all resolved"))),
                    new RouteParentStatus(INFRA, List.of(Condition.isFalse("Accepted", "NotAllowedByListeners", "not allowed"))))));
            JsonNode status = awaitStatus(route, s -> s.path("parents").size() == 3);

            assertThat(status).isEqualTo(json("{'parents':[" + OTHER + ","
                    + "{'parentRef':{'name':'edge'},'controllerName':'shardgate.io/controller','conditions':["
                    + condition("Accepted", "True", "Accepted", "attached", 4, T1) + ","
                    + condition("ResolvedRefs", "True", "ResolvedRefs", "all resolved", 4, T1) + "]},"
                    + "{'parentRef':{'group':'gateway.networking.k8s.io','kind':'Gateway','namespace':'infra','name':'shared',"
                    + "'sectionName':'https','port':443},'controllerName':'shardgate.io/controller','conditions':["
                    + condition("Accepted", "False", "NotAllowedByListeners", "not allowed", 4, T1) + "]}]}"));
            assertThat(typedRoute("two").getSpec()).isEqualTo(spec); // only the status changed
            writer.close(); // waits for the lanes: every write asked for is done and counted
            assertThat(writer.writes()).isEqualTo(1);
            assertThat(writer.failures()).isZero();
        }
    }

    @Test
    void aStatusThatIsAlreadyRightIsNotWrittenAgain() {
        Resource<GenericKubernetesResource> route = createRoute("already");
        HttpRouteStatus wanted = accepted("already", 1, true, "attached");
        KubernetesGatewayApiStatusWriter first = writer();
        first.route(wanted);
        awaitStatus(route, s -> s.path("parents").size() == 1);
        String version = route.get().getMetadata().getResourceVersion();
        first.route(wanted); // the same wish again: not even read
        first.route(accepted("already", 1, true, "attached"));
        first.close(); // applies what was asked
        assertThat(first.writes()).isEqualTo(1);
        assertThat(route.get().getMetadata().getResourceVersion()).isEqualTo(version);

        // A restarted node, later: it reads the status, finds it right (the times included) and leaves it.
        clock.set(T3);
        KubernetesGatewayApiStatusWriter restarted = writer();
        restarted.route(wanted);
        restarted.close();

        assertThat(restarted.writes()).isZero();
        assertThat(restarted.failures()).isZero();
        assertThat(route.get().getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(status(route.get()).at("/parents/0/conditions/0/lastTransitionTime").asText()).isEqualTo(T1);
    }

    @Test
    void observedGenerationFollowsTheWishAndTheTransitionTimeTheStatus() {
        Resource<GenericKubernetesResource> route = createRoute("generations");
        try (KubernetesGatewayApiStatusWriter writer = writer()) {
            writer.route(new HttpRouteStatus(routeRef("generations"), 1, List.of(new RouteParentStatus(EDGE, List.of(
                    Condition.isTrue("Accepted", "Accepted", "attached"), Condition.isTrue("ResolvedRefs", "ResolvedRefs", "resolved"))))));
            awaitStatus(route, s -> s.at("/parents/0/conditions/0/observedGeneration").asLong() == 1);

            // Same statuses, other reason and message: the times stay.
            clock.set(T2);
            writer.route(new HttpRouteStatus(routeRef("generations"), 2, List.of(new RouteParentStatus(EDGE, List.of(
                    Condition.isTrue("Accepted", "Attached", "attached again"), Condition.isTrue("ResolvedRefs", "ResolvedRefs", "resolved"))))));
            JsonNode second = awaitStatus(route, s -> s.at("/parents/0/conditions/0/observedGeneration").asLong() == 2);
            assertThat(second.at("/parents/0/conditions")).isEqualTo(json("[" + condition("Accepted", "True", "Attached", "attached again", 2, T1)
                    + "," + condition("ResolvedRefs", "True", "ResolvedRefs", "resolved", 2, T1) + "]"));

            // Accepted flips: its time is now; ResolvedRefs keeps its own.
            clock.set(T3);
            String tooLong = "x".repeat(2000);
            writer.route(new HttpRouteStatus(routeRef("generations"), 3, List.of(new RouteParentStatus(EDGE, List.of(
                    Condition.isFalse("Accepted", "NoMatchingParent", tooLong), Condition.isTrue("ResolvedRefs", "ResolvedRefs", "resolved"))))));
            JsonNode third = awaitStatus(route, s -> s.at("/parents/0/conditions/0/observedGeneration").asLong() == 3);
            assertThat(third.at("/parents/0/conditions")).isEqualTo(json("[" + condition("Accepted", "False", "NoMatchingParent", "x".repeat(1024), 3, T3)
                    + "," + condition("ResolvedRefs", "True", "ResolvedRefs", "resolved", 3, T1) + "]"));
            writer.close(); // waits for the lanes: every write asked for is done and counted
            assertThat(writer.writes()).isEqualTo(3);
        }
    }

    @Test
    void noParentsRemovesShardgatesEntriesOnly() {
        try (KubernetesGatewayApiStatusWriter writer = writer()) {
            Resource<GenericKubernetesResource> route = routeWithBothEntries(writer, "leaving");

            writer.route(new HttpRouteStatus(routeRef("leaving"), 2, List.of()));
            assertThat(awaitStatus(route, s -> s.path("parents").size() == 1)).isEqualTo(json("{'parents':[" + OTHER + "]}"));
            writer.close(); // waits for the lanes: every write asked for is done and counted
            assertThat(writer.writes()).isEqualTo(2);
        }
    }

    @Test
    void noParentsWritesNothingWhenShardgateHadNoEntry() {
        Resource<GenericKubernetesResource> theirs = routeWithTheirEntry("theirs-only");
        String theirsVersion = theirs.get().getMetadata().getResourceVersion();
        Resource<GenericKubernetesResource> bare = createRoute("bare");
        String bareVersion = bare.get().getMetadata().getResourceVersion();

        KubernetesGatewayApiStatusWriter writer = writer();
        writer.route(new HttpRouteStatus(routeRef("theirs-only"), 1, List.of()));
        writer.route(new HttpRouteStatus(routeRef("bare"), 1, List.of()));
        writer.close();

        assertThat(writer.writes()).isZero();
        assertThat(writer.failures()).isZero();
        assertThat(theirs.get().getMetadata().getResourceVersion()).isEqualTo(theirsVersion);
        assertThat(bare.get().getMetadata().getResourceVersion()).isEqualTo(bareVersion);
        assertThat(status(bare.get()).isMissingNode()).isTrue();
    }

    @Test
    void gatewayStatusHasConditionsListenersAndTypedAddresses() {
        kube.api().resource(new GatewayBuilder().withNewMetadata().withNamespace("infra").withName("edge").endMetadata()
                .withNewSpec().withGatewayClassName("shardgate").addNewListener().withName("http").withPort(80).withProtocol("HTTP").endListener()
                .addNewListener().withName("tcp").withPort(9000).withProtocol("TCP").endListener().endSpec().build()).create();
        Resource<GenericKubernetesResource> gateway = kube.api().genericKubernetesResources(API, "Gateway").inNamespace("infra").withName("edge");
        List<String> addresses = new ArrayList<>(List.of("192.0.2.10", "lb.example.com", "2001:db8::1"));
        for (int i = 1; addresses.size() < 20; i++) addresses.add("198.51.100." + i);

        GatewayStatus wanted = new GatewayStatus(ObjectRef.of(ObjectRef.Kind.GATEWAY, "infra", "edge"), 7,
                List.of(Condition.isTrue("Accepted", "Accepted", "accepted"), Condition.isTrue("Programmed", "Programmed", "served")),
                List.of(new ListenerStatus("http", List.of("HTTPRoute"), 2, List.of(Condition.isTrue("Accepted", "Accepted", ""),
                                Condition.isTrue("ResolvedRefs", "ResolvedRefs", ""), Condition.isTrue("Programmed", "Programmed", ""))),
                        new ListenerStatus("tcp", List.of(), 0, List.of(Condition.isFalse("Accepted", "UnsupportedProtocol", "TCP")))));
        try (KubernetesGatewayApiStatusWriter writer = writer()) {
            writer.gateway(wanted, addresses);
            JsonNode status = awaitStatus(gateway, s -> s.has("listeners"));

            StringBuilder expected = new StringBuilder("{'addresses':[{'type':'IPAddress','value':'192.0.2.10'},"
                    + "{'type':'Hostname','value':'lb.example.com'},{'type':'IPAddress','value':'2001:db8::1'}");
            for (int i = 1; i <= 13; i++) expected.append(",{'type':'IPAddress','value':'198.51.100.").append(i).append("'}");
            expected.append("],'conditions':[").append(condition("Accepted", "True", "Accepted", "accepted", 7, T1)).append(',')
                    .append(condition("Programmed", "True", "Programmed", "served", 7, T1)).append("],'listeners':[")
                    .append("{'name':'http','supportedKinds':[{'group':'gateway.networking.k8s.io','kind':'HTTPRoute'}],'attachedRoutes':2,"
                            + "'conditions':[").append(condition("Accepted", "True", "Accepted", "", 7, T1)).append(',')
                    .append(condition("ResolvedRefs", "True", "ResolvedRefs", "", 7, T1)).append(',')
                    .append(condition("Programmed", "True", "Programmed", "", 7, T1)).append("]},")
                    .append("{'name':'tcp','supportedKinds':[],'attachedRoutes':0,'conditions':[")
                    .append(condition("Accepted", "False", "UnsupportedProtocol", "TCP", 7, T1)).append("]}]}");
            assertThat(status).isEqualTo(json(expected.toString()));
            assertThat(status.path("addresses").size()).isEqualTo(KubernetesGatewayApiStatusWriter.MAX_ADDRESSES);

            assertThatThrownBy(() -> writer.gateway(new GatewayStatus(ObjectRef.of(ObjectRef.Kind.GATEWAY, "infra", "edge"), 7,
                    List.of(), List.of()), List.of("not an address"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an address");
        }

        // A restarted node, later, finds it right: an empty supportedKinds included.
        String version = gateway.get().getMetadata().getResourceVersion();
        clock.set(T3);
        KubernetesGatewayApiStatusWriter restarted = writer();
        restarted.gateway(wanted, addresses);
        restarted.close();
        assertThat(restarted.writes()).isZero();
        assertThat(gateway.get().getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void gatewayClassIsAccepted() {
        kube.api().resource(new GatewayClassBuilder().withNewMetadata().withName("shardgate-accepted").endMetadata()
                .withNewSpec().withControllerName("shardgate.io/controller").endSpec().build()).create();
        Resource<GenericKubernetesResource> gatewayClass = kube.api().genericKubernetesResources(API, "GatewayClass").withName("shardgate-accepted");
        try (KubernetesGatewayApiStatusWriter writer = writer()) {
            writer.gatewayClass(new GatewayClassStatus("shardgate-accepted", 3, List.of(Condition.isTrue("Accepted", "Accepted", "handled by Shardgate"))));
            assertThat(awaitStatus(gatewayClass, s -> s.has("conditions")))
                    .isEqualTo(json("{'conditions':[" + condition("Accepted", "True", "Accepted", "handled by Shardgate", 3, T1) + "]}"));
        }
    }

    @Test
    void listenerSetStatusHasConditionsAndListenersAndTheGatewayCountsAttachedSets() {
        kube.api().resource(new io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSetBuilder().withNewMetadata().withNamespace("team")
                .withName("extra").endMetadata().withNewSpec().withNewParentRef().withName("edge").withNamespace("infra").endParentRef()
                .addNewListener().withName("https").withPort(443).withProtocol("HTTPS").endListener().endSpec().build()).create();
        kube.api().resource(new GatewayBuilder().withNewMetadata().withNamespace("infra").withName("counted").endMetadata()
                .withNewSpec().withGatewayClassName("shardgate").addNewListener().withName("http").withPort(80).withProtocol("HTTP")
                .endListener().endSpec().build()).create();
        Resource<GenericKubernetesResource> set = kube.api().genericKubernetesResources(API, "ListenerSet").inNamespace("team").withName("extra");
        Resource<GenericKubernetesResource> gateway = kube.api().genericKubernetesResources(API, "Gateway").inNamespace("infra")
                .withName("counted");
        try (KubernetesGatewayApiStatusWriter writer = writer()) {
            writer.listenerSet(new ListenerSetStatus(ObjectRef.of(ObjectRef.Kind.LISTENER_SET, "team", "extra"), 4,
                    List.of(Condition.isTrue("Accepted", "Accepted", "added")),
                    List.of(new ListenerStatus("https", List.of("HTTPRoute"), 3, List.of(Condition.isTrue("Programmed", "Programmed", ""))))));
            assertThat(awaitStatus(set, s -> s.has("listeners"))).isEqualTo(json("{'conditions':["
                    + condition("Accepted", "True", "Accepted", "added", 4, T1) + "],'listeners':[{'name':'https','supportedKinds':"
                    + "[{'group':'gateway.networking.k8s.io','kind':'HTTPRoute'}],'attachedRoutes':3,'conditions':["
                    + condition("Programmed", "True", "Programmed", "", 4, T1) + "]}]}"));

            writer.gateway(new GatewayStatus(ObjectRef.of(ObjectRef.Kind.GATEWAY, "infra", "counted"), 1, List.of(), List.of(), 2), List.of());
            assertThat(awaitStatus(gateway, s -> s.has("attachedListenerSets")).path("attachedListenerSets").asInt()).isEqualTo(2);
            writer.gateway(new GatewayStatus(ObjectRef.of(ObjectRef.Kind.GATEWAY, "infra", "counted"), 1, List.of(), List.of(), 0), List.of());
            assertThat(awaitStatus(gateway, s -> s.path("attachedListenerSets").asInt(-1) == 0).path("attachedListenerSets").asInt())
                    .as("a count once written is kept up to date, down to zero").isZero();
        }
    }

    @Test
    void aMissingObjectIsNeitherWrittenNorAFailure() {
        KubernetesGatewayApiStatusWriter writer = writer();
        writer.route(accepted("missing", 1, true, "attached"));
        writer.gateway(new GatewayStatus(ObjectRef.of(ObjectRef.Kind.GATEWAY, "infra", "missing"), 1, List.of(), List.of()), List.of());
        writer.gatewayClass(new GatewayClassStatus("missing", 1, List.of(Condition.isTrue("Accepted", "Accepted", ""))));
        writer.close();
        assertThat(writer.writes()).isZero();
        assertThat(writer.failures()).isZero();
        assertThat(kube.api().genericKubernetesResources(API, "HTTPRoute").inNamespace(NS).withName("missing").get()).isNull();
    }

    @Test
    void aReleasedObjectIsReadAgainOnItsNextWish() {
        Resource<GenericKubernetesResource> route = createRoute("released");
        HttpRouteStatus wanted = accepted("released", 1, true, "attached");
        try (KubernetesGatewayApiStatusWriter writer = writer()) {
            writer.route(wanted);
            awaitStatus(route, s -> s.path("parents").size() == 1);
            setStatus(route, "{'parents':[]}"); // another node took it over and wrote
            writer.route(wanted); // still the wish: nothing read, nothing written
            writer.released(routeRef("released"));
            writer.route(wanted); // forgotten: read again, and written
            awaitStatus(route, s -> s.path("parents").size() == 1);
            writer.close(); // waits for the lanes: every write asked for is done and counted
            assertThat(writer.writes()).isEqualTo(2);
        }
    }

    @Test
    void anotherControllersLatestEntryIsKeptWhenShardgateWritesAgain() {
        try (KubernetesGatewayApiStatusWriter writer = writer()) {
            Resource<GenericKubernetesResource> route = routeWithBothEntries(writer, "shared");
            replaceTheirEntry(route, theirEntry("theirs-now"));

            writer.route(accepted("shared", 2, false, "detached"));
            JsonNode status = awaitStatus(route, s -> s.at("/parents/1/conditions/0/observedGeneration").asLong() == 2);
            assertTheirsThenOurs(status, "theirs-now");
            assertThat(status.at("/parents/1/conditions/0/status").asText()).isEqualTo("False");
        }
    }

    /** The status changes between the writer's read and its write: the write is refused, the route read again. */
    @Test
    void aChangeBetweenReadAndWriteIsNotOverwritten() {
        Resource<GenericKubernetesResource> route = routeWithTheirEntry("raced");
        AtomicInteger patches = new AtomicInteger();
        try (KubernetesClient client = interfering("raced", () -> {
                    if (patches.incrementAndGet() == 1) replaceTheirEntry(route, theirEntry("theirs-meanwhile"));
                })) {
            KubernetesGatewayApiStatusWriter writer = new KubernetesGatewayApiStatusWriter(client, clock, 2);
            writer.route(accepted("raced", 1, true, "attached"));
            writer.close(); // applies what was asked
            assertThat(patches.get()).isEqualTo(2);
            assertThat(writer.writes()).isEqualTo(1);
            assertThat(writer.failures()).isZero();
        }
        assertTheirsThenOurs(status(route.get()), "theirs-meanwhile");
    }

    @Test
    void threeRefusedWritesAreAFailureAndTheNextWishTriesAgain() {
        Resource<GenericKubernetesResource> route = routeWithTheirEntry("contended");
        AtomicInteger patches = new AtomicInteger();
        AtomicBoolean interfere = new AtomicBoolean(true);
        try (KubernetesClient client = interfering("contended", () -> {
                    int n = patches.incrementAndGet();
                    if (interfere.get()) patchStatus(route, "[{'op':'replace','path':'/status/parents/0/conditions/0/message','value':'change " + n + "'}]");
                });
                KubernetesGatewayApiStatusWriter writer = new KubernetesGatewayApiStatusWriter(client, clock, 1)) {
            HttpRouteStatus wanted = accepted("contended", 1, true, "attached");
            writer.route(wanted);
            Conditions.await("three refused writes", Duration.ofSeconds(20), () -> writer.failures() == 1);
            assertThat(status(route.get()).at("/parents/0/conditions/0/message").asText()).isEqualTo("change 3");
            assertThat(status(route.get()).path("parents").size()).isEqualTo(1);
            interfere.set(false);
            writer.route(wanted); // the same wish, forgotten after the failure: tried again
            awaitStatus(route, s -> s.path("parents").size() == 2);
            writer.close(); // waits for the lanes: every write asked for is done and counted
            assertThat(patches.get()).isEqualTo(4);
            assertThat(writer.failures()).isEqualTo(1);
            assertThat(writer.writes()).isEqualTo(1);
        }
    }

    private KubernetesGatewayApiStatusWriter writer() {
        return new KubernetesGatewayApiStatusWriter(kube.newClient(), clock, 4);
    }

    /** A client that runs {@code beforePatch} on its own thread before each status patch of the named route. */
    private static KubernetesClient interfering(String name, Runnable beforePatch) {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder().withMasterUrl(kube.mock().url()).withNamespace("default").build())
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("interfere", new Interceptor() {
                    @Override
                    public void before(BasicBuilder request, HttpRequest sent, RequestTags tags) {
                        if (sent.method().equals("PATCH") && sent.uri().getPath().endsWith("/httproutes/" + name + "/status")) beforePatch.run();
                    }
                }))
                .build();
    }

    /** A route whose status holds another controller's entry, {@link #OTHER}. */
    private static Resource<GenericKubernetesResource> routeWithTheirEntry(String name) {
        Resource<GenericKubernetesResource> route = createRoute(name);
        setStatus(route, "{'parents':[" + OTHER + "]}");
        return route;
    }

    /** A route whose status holds another controller's entry, {@link #OTHER}, then Shardgate's, written by {@code writer}. */
    private static Resource<GenericKubernetesResource> routeWithBothEntries(KubernetesGatewayApiStatusWriter writer, String name) {
        Resource<GenericKubernetesResource> route = routeWithTheirEntry(name);
        writer.route(accepted(name, 1, true, "attached"));
        awaitStatus(route, s -> s.path("parents").size() == 2);
        return route;
    }

    /** Another controller's entry, for the parent {@code parent}. */
    private static String theirEntry(String parent) {
        return "{'parentRef':{'name':'" + parent + "'},'controllerName':'example.com/other','conditions':[{'type':'Accepted',"
                + "'status':'True','reason':'Accepted','message':'theirs','observedGeneration':1,'lastTransitionTime':'2020-01-01T00:00:00Z'}]}";
    }

    /** The other controller rewrites its entry (the first). */
    private static void replaceTheirEntry(Resource<GenericKubernetesResource> route, String entry) {
        patchStatus(route, "[{'op':'replace','path':'/status/parents/0','value':" + entry + "}]");
    }

    /** Two entries: the other controller's latest, for {@code theirParent}, then Shardgate's. */
    private static void assertTheirsThenOurs(JsonNode status, String theirParent) {
        assertThat(status.path("parents").size()).isEqualTo(2);
        assertThat(status.at("/parents/0")).isEqualTo(json(theirEntry(theirParent)));
        assertThat(status.at("/parents/1/controllerName").asText()).isEqualTo("shardgate.io/controller");
    }

    private static Resource<GenericKubernetesResource> createRoute(String name) {
        kube.api().resource(new HTTPRouteBuilder().withNewMetadata().withNamespace(NS).withName(name).endMetadata()
                .withNewSpec().addNewParentRef().withName("edge").endParentRef().withHostnames(name + ".example.com")
                .addNewRule().addNewBackendRef().withName("web").withPort(80).endBackendRef().endRule().endSpec().build()).create();
        return kube.api().genericKubernetesResources(API, "HTTPRoute").inNamespace(NS).withName(name);
    }

    private static HTTPRoute typedRoute(String name) {
        return kube.api().resources(HTTPRoute.class).inNamespace(NS).withName(name).get();
    }

    private static ObjectRef routeRef(String name) {
        return ObjectRef.of(ObjectRef.Kind.HTTP_ROUTE, NS, name);
    }

    private static HttpRouteStatus accepted(String route, long generation, boolean accepted, String message) {
        return new HttpRouteStatus(routeRef(route), generation,
                List.of(new RouteParentStatus(EDGE, List.of(new Condition("Accepted", accepted, accepted ? "Accepted" : "NotAllowedByListeners", message)))));
    }

    private static void setStatus(Resource<GenericKubernetesResource> resource, String status) {
        patchStatus(resource, "[{'op':'add','path':'/status','value':" + status + "}]");
    }

    private static void patchStatus(Resource<GenericKubernetesResource> resource, String patch) {
        resource.subresource("status").patch(PatchContext.of(PatchType.JSON), json(patch).toString());
    }

    /**
     * The status once {@code condition} holds, read again (GET): the object that waitUntilCondition hands over, as
     * the mock lists or watches it, lacks the empty lists ({@code "supportedKinds":[]}) that the mock holds.
     */
    private static JsonNode awaitStatus(Resource<GenericKubernetesResource> resource, Predicate<JsonNode> condition) {
        resource.waitUntilCondition(r -> r != null && condition.test(status(r)), 20, TimeUnit.SECONDS);
        return status(resource.get());
    }

    /** Read back from its JSON text, so that numbers are typed as in {@link #json}. */
    private static JsonNode status(GenericKubernetesResource resource) {
        Object status = resource.getAdditionalProperties().get("status");
        try {
            return status == null ? JSON.missingNode() : JSON.readTree(JSON.writeValueAsString(status));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String condition(String type, String status, String reason, String message, long generation, String since) {
        return "{'type':'" + type + "','status':'" + status + "','reason':'" + reason + "','message':'" + message
                + "','observedGeneration':" + generation + ",'lastTransitionTime':'" + since + "'}";
    }

    /** JSON written with single quotes. */
    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(String at) {
            set(at);
        }

        void set(String at) {
            now = Instant.parse(at);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
