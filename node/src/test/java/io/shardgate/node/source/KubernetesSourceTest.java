package io.shardgate.node.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.shardgate.node.testing.Fixtures;
import io.shardgate.node.testing.KubeMock;
import io.shardgate.node.testing.KubeMockExtension;
import io.shardgate.node.testing.RecordingSink;
import io.shardgate.node.testing.RecordingSink.Deleted;
import io.shardgate.node.testing.RecordingSink.Delivery;
import io.shardgate.node.testing.RecordingSink.Synced;
import io.shardgate.node.testing.RecordingSink.Upserted;
import io.shardgate.node.testing.RecordingSink;
import io.shardgate.translator.input.EndpointSliceInput;
import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.IngressInput;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.input.ServiceInput;
import io.shardgate.translator.input.TlsSecretInput;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Kubernetes source against fabric8's mock API server (in its own JVM), through a real fabric8 client. */
class KubernetesSourceTest {
    @RegisterExtension
    static final KubeMockExtension kube = new KubeMockExtension();

    private final RecordingSink sink = new RecordingSink();
    private KubernetesSource source;

    @AfterEach
    void stopSource() {
        if (source != null) source.close();
    }

    /**
     * Each test watches its own namespace, so the tests sharing one API server do not see each other's
     * namespaced objects (IngressClasses are cluster-scoped: all are seen).
     *
     * @return the deliveries up to and including synced()
     */
    private List<Delivery> startSource(String namespace) {
        source = new KubernetesSource(kube.newClient(), List.of(namespace));
        source.start(sink);
        return sink.await("synced", d -> d.contains(new Synced()));
    }

    @Test
    void deliversTheInitialObjectsThenSynced() {
        create(Fixtures.ingressClass("initial-class", true));
        create(Fixtures.service("initial", "web").port("http", 80).build());
        create(Fixtures.endpointSlice("initial", "web-1", "web").port("http", 8080).endpoint("10.0.0.1", true).build());
        create(Fixtures.tlsSecret("initial", "web-tls", "CERT", "KEY"));
        create(Fixtures.opaqueSecret("initial", "db"));
        create(Fixtures.service("elsewhere", "not-watched").port("http", 80).build());
        Ingress ingress = create(Fixtures.ingress("initial", "web").className("initial-class").host("a.example.com").path("/", "web", 80).build());

        List<Delivery> deliveries = startSource("initial");

        assertThat(deliveries).last().isEqualTo(new Synced());
        assertThat(deliveries.subList(0, deliveries.size() - 1)).containsExactlyInAnyOrder(
                new Upserted(new IngressClassInput("initial-class", Fixtures.CONTROLLER, true, null)),
                new Upserted(new ServiceInput("initial", "web", "ClusterIP", null, List.of(new ServiceInput.Port("http", 80, "TCP", null)))),
                new Upserted(new EndpointSliceInput("initial", "web-1", "web", "IPv4",
                        List.of(new EndpointSliceInput.Port("http", 8080, "TCP")),
                        List.of(new EndpointSliceInput.Endpoint(List.of("10.0.0.1"), true, null)))),
                new Upserted(new TlsSecretInput("initial", "web-tls", ByteString.copyFromUtf8("CERT"), ByteString.copyFromUtf8("KEY"))),
                new Upserted(new IngressInput("initial", "web", createdAt(ingress), "initial-class", Map.of(), null,
                        List.of(new IngressInput.Rule("a.example.com",
                                List.of(new IngressInput.Path("/", "Prefix", IngressInput.Backend.service("web", 80))))),
                        List.of())));
    }

    @Test
    void ingressCreatedUpdatedDeleted() {
        int seen = startSource("ingress").size();

        Ingress created = create(Fixtures.ingress("ingress", "web").host("a.example.com").path("/", "web", 80).build());
        IngressInput.Rule ruleA = new IngressInput.Rule("a.example.com",
                List.of(new IngressInput.Path("/", "Prefix", IngressInput.Backend.service("web", 80))));
        assertThat(sink.next(seen)).isEqualTo(new Upserted(
                new IngressInput("ingress", "web", createdAt(created), null, Map.of(), null, List.of(ruleA), List.of())));

        update(Fixtures.ingress("ingress", "web").host("a.example.com").path("/", "web", 80)
                .tls("a.example.com", "web-tls").annotation("nginx.ingress.kubernetes.io/ssl-redirect", "true").build());
        assertThat(sink.next(seen + 1)).isEqualTo(new Upserted(new IngressInput("ingress", "web", createdAt(created), null,
                Map.of("nginx.ingress.kubernetes.io/ssl-redirect", "true"), null, List.of(ruleA),
                List.of(new IngressInput.Tls(List.of("a.example.com"), "web-tls")))));

        delete(created);
        assertThat(sink.next(seen + 2)).isEqualTo(new Deleted(ObjectRef.of(ObjectRef.Kind.INGRESS, "ingress", "web")));
    }

    @Test
    void onlyTlsSecretsAreDelivered() {
        int seen = startSource("secrets").size();

        create(Fixtures.opaqueSecret("secrets", "db"));
        create(Fixtures.tlsSecret("secrets", "web-tls", "CERT", "KEY"));
        // The Secret informer delivers in order, so had the Opaque Secret been delivered, it would come first.
        assertThat(sink.next(seen)).isEqualTo(new Upserted(
                new TlsSecretInput("secrets", "web-tls", ByteString.copyFromUtf8("CERT"), ByteString.copyFromUtf8("KEY"))));

        update(Fixtures.tlsSecret("secrets", "web-tls", "CERT2", "KEY2"));
        assertThat(sink.next(seen + 1)).isEqualTo(new Upserted(
                new TlsSecretInput("secrets", "web-tls", ByteString.copyFromUtf8("CERT2"), ByteString.copyFromUtf8("KEY2"))));

        kube.api().secrets().inNamespace("secrets").withName("db").delete();
        kube.api().secrets().inNamespace("secrets").withName("web-tls").delete();
        assertThat(sink.next(seen + 2)).isEqualTo(new Deleted(ObjectRef.of(ObjectRef.Kind.SECRET, "secrets", "web-tls")));
        assertThat(sink.deliveries()).hasSize(seen + 3);
    }

    @Test
    void catchingUpListsAgainWithoutSpuriousDeletesAndKeepsWatching() throws Exception {
        create(Fixtures.service("catchup", "web").port("http", 80).build());
        ServiceInput web = new ServiceInput("catchup", "web", "ClusterIP", null, List.of(new ServiceInput.Port("http", 80, "TCP", null)));
        int seen = startSource("catchup").size();

        create(Fixtures.service("catchup", "api").port("http", 81).build());
        source.catchUp().get(20, java.util.concurrent.TimeUnit.SECONDS);
        ServiceInput api = new ServiceInput("catchup", "api", "ClusterIP", null, List.of(new ServiceInput.Port("http", 81, "TCP", null)));
        List<Delivery> since = sink.deliveries().subList(seen, sink.deliveries().size());
        assertThat(since).as("the change made before catching up has been delivered").contains(new Upserted(api));
        List<Delivery> before = sink.deliveries().subList(0, seen);
        assertThat(before).contains(new Upserted(web));
        assertThat(since).as("an unchanged object may come again, but nothing is deleted nor synced twice")
                .allMatch(d -> d.equals(new Upserted(api)) || (d instanceof Upserted && before.contains(d)));

        int after = sink.deliveries().size();
        kube.api().services().inNamespace("catchup").withName("api").delete();
        assertThat(sink.next(after)).as("the new informers watch on").isEqualTo(new Deleted(ObjectRef.of(ObjectRef.Kind.SERVICE, "catchup", "api")));
    }

    @Test
    void aChangeStillQueuedForTheOldInformersIsNotLostByCatchingUp() throws Exception {
        // The informer records a change's resourceVersion in its store before its handler runs. A change whose
        // handler is still queued when catching up stops the informer (which drops its queue and interrupts the
        // running handler) must still be delivered.
        StallingSink stalling = startStalled("lost-update");
        Service api = create(Fixtures.service("lost-update", "api").port("http", 81).build());
        ObjectRef apiRef = ObjectRef.of(ObjectRef.Kind.SERVICE, "lost-update", "api");
        awaitCondition("the informer recorded the api Service's version", () ->
                api.getMetadata().getResourceVersion().equals(source.recordedVersion(apiRef)));

        source.catchUp().get(20, java.util.concurrent.TimeUnit.SECONDS);

        ServiceInput expected = new ServiceInput("lost-update", "api", "ClusterIP", null, List.of(new ServiceInput.Port("http", 81, "TCP", null)));
        sink.await("the api Service delivered", d -> d.contains(new Upserted(expected)));
        assertThat(stalling.interrupted).as("stopping the old informer interrupted its handler").isTrue();
    }

    @Test
    void aDeleteStillQueuedForTheOldInformersIsNotLostByCatchingUp() throws Exception {
        create(Fixtures.service("lost-delete", "api").port("http", 81).build());
        StallingSink stalling = startStalled("lost-delete");
        ObjectRef apiRef = ObjectRef.of(ObjectRef.Kind.SERVICE, "lost-delete", "api");
        assertThat(sink.deliveries()).anyMatch(d -> d instanceof Upserted u && u.object().ref().equals(apiRef));
        kube.api().services().inNamespace("lost-delete").withName("api").delete();
        awaitCondition("the informer recorded the delete", () -> source.recordedVersion(apiRef) == null);

        source.catchUp().get(20, java.util.concurrent.TimeUnit.SECONDS);

        sink.await("the api Service deleted", d -> d.contains(new Deleted(apiRef)));
        assertThat(stalling.interrupted).isTrue();
    }

    /**
     * Starts the source on a namespace with a sink whose first delivery of a "blocker" Service blocks until the
     * handler is interrupted, then creates that Service: the informer's handler is stuck, later events queue.
     */
    private StallingSink startStalled(String namespace) throws InterruptedException {
        StallingSink stalling = new StallingSink(ObjectRef.of(ObjectRef.Kind.SERVICE, namespace, "blocker"));
        source = new KubernetesSource(kube.newClient(), List.of(namespace));
        source.start(stalling);
        sink.await("synced", d -> d.contains(new Synced()));
        create(Fixtures.service(namespace, "blocker").port("http", 80).build());
        assertThat(stalling.entered.await(20, java.util.concurrent.TimeUnit.SECONDS)).as("the handler is stuck on the blocker").isTrue();
        return stalling;
    }

    private final class StallingSink implements InputSink {
        private final ObjectRef blocker;
        final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        volatile boolean interrupted;

        StallingSink(ObjectRef blocker) {
            this.blocker = blocker;
        }

        @Override
        public void upsert(io.shardgate.translator.input.InputObject object) {
            if (object.ref().equals(blocker) && entered.getCount() > 0) {
                entered.countDown();
                try {
                    never.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                    Thread.currentThread().interrupt();
                }
            }
            sink.upsert(object);
        }

        @Override
        public void delete(ObjectRef ref) {
            sink.delete(ref);
        }

        @Override
        public void synced() {
            sink.synced();
        }
    }

    private static void awaitCondition(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + RecordingSink.TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    /**
     * Watermarks are per informer (kind and namespace), and an informer's first list reaches the list's own
     * position: when the newest change was a delete, no object listed carries it, yet a node that joins a quiet
     * cluster must show it has read as far as the nodes that saw the delete happen.
     */
    @Test
    void eachInformerTellsItsListsPositionEvenWhenTheNewestChangeWasADelete() {
        Service kept = create(Fixtures.service("listed", "kept").port("http", 80).build());
        Service gone = create(Fixtures.service("listed", "gone").port("http", 80).build());
        delete(gone);

        startSource("listed");

        long services = sink.awaitWatermark("SERVICE@listed", p -> p > 0);
        assertThat(services).as("past the newest object listed").isGreaterThan(Long.parseLong(kept.getMetadata().getResourceVersion()));
        // An API server gives the delete a position of its own; the mock keeps its counter there.
        assertThat(services).as("as far as the delete").isGreaterThanOrEqualTo(Long.parseLong(gone.getMetadata().getResourceVersion()));
        assertThat(sink.watermarks()).containsKeys("INGRESS@listed", "SECRET@listed", "ENDPOINT_SLICE@listed", "INGRESS_CLASS@*");

        Service later = update(Fixtures.service("listed", "kept").port("http", 81).build());
        assertThat(sink.awaitWatermark("SERVICE@listed", p -> p > services))
                .isEqualTo(Long.parseLong(later.getMetadata().getResourceVersion()));
    }

    @Test
    void serviceCreatedUpdatedDeleted() {
        int seen = startSource("services").size();

        Service service = create(Fixtures.service("services", "web").port("http", 80).build());
        assertThat(sink.next(seen)).isEqualTo(new Upserted(
                new ServiceInput("services", "web", "ClusterIP", null, List.of(new ServiceInput.Port("http", 80, "TCP", null)))));

        update(Fixtures.service("services", "web").port("http", 80).port("https", 443).build());
        assertThat(sink.next(seen + 1)).isEqualTo(new Upserted(new ServiceInput("services", "web", "ClusterIP", null,
                List.of(new ServiceInput.Port("http", 80, "TCP", null), new ServiceInput.Port("https", 443, "TCP", null)))));

        delete(service);
        assertThat(sink.next(seen + 2)).isEqualTo(new Deleted(ObjectRef.of(ObjectRef.Kind.SERVICE, "services", "web")));
    }

    @Test
    void endpointSliceCreatedUpdatedDeleted() {
        int seen = startSource("slices").size();
        List<EndpointSliceInput.Port> ports = List.of(new EndpointSliceInput.Port("http", 8080, "TCP"));

        var slice = create(Fixtures.endpointSlice("slices", "web-1", "web").port("http", 8080).endpoint("10.0.0.1", true).build());
        assertThat(sink.next(seen)).isEqualTo(new Upserted(new EndpointSliceInput("slices", "web-1", "web", "IPv4", ports,
                List.of(new EndpointSliceInput.Endpoint(List.of("10.0.0.1"), true, null)))));

        update(Fixtures.endpointSlice("slices", "web-1", "web").port("http", 8080)
                .endpoint("10.0.0.1", false).endpoint("10.0.0.2", true).build());
        assertThat(sink.next(seen + 1)).isEqualTo(new Upserted(new EndpointSliceInput("slices", "web-1", "web", "IPv4", ports,
                List.of(new EndpointSliceInput.Endpoint(List.of("10.0.0.1"), false, null),
                        new EndpointSliceInput.Endpoint(List.of("10.0.0.2"), true, null)))));

        delete(slice);
        assertThat(sink.next(seen + 2)).isEqualTo(new Deleted(ObjectRef.of(ObjectRef.Kind.ENDPOINT_SLICE, "slices", "web-1")));
    }

    @Test
    void ingressClassCreatedUpdatedDeleted() {
        int seen = startSource("classes").size();

        var ingressClass = create(Fixtures.ingressClass("lifecycle-class", false));
        assertThat(sink.next(seen)).isEqualTo(new Upserted(new IngressClassInput("lifecycle-class", Fixtures.CONTROLLER, false, null)));

        update(Fixtures.ingressClass("lifecycle-class", true));
        assertThat(sink.next(seen + 1)).isEqualTo(new Upserted(new IngressClassInput("lifecycle-class", Fixtures.CONTROLLER, true, null)));

        delete(ingressClass);
        assertThat(sink.next(seen + 2)).isEqualTo(new Deleted(ObjectRef.of(ObjectRef.Kind.INGRESS_CLASS, "", "lifecycle-class")));
    }

    @Test
    void gatewayApiObjectsCreatedAndDeleted() {
        int seen = startSource("gateway-api").size();

        var gatewayClass = create(new GatewayClassBuilder().withNewMetadata().withName("gateway-api-class").endMetadata()
                .withNewSpec().withControllerName(Fixtures.CONTROLLER).endSpec().build());
        assertThat(sink.next(seen)).isEqualTo(new Upserted(new GatewayClassInput("gateway-api-class", 1, Fixtures.CONTROLLER, null, List.of())));
        var gateway = create(new GatewayBuilder().withNewMetadata().withNamespace("gateway-api").withName("edge").endMetadata()
                .withNewSpec().withGatewayClassName("gateway-api-class").addNewListener().withName("http").withPort(80)
                .withProtocol("HTTP").endListener().endSpec().build());
        assertThat(sink.next(seen + 1)).isEqualTo(new Upserted(new GatewayInput("gateway-api", "edge", 1, "gateway-api-class",
                List.of(new GatewayInput.Listener("http", null, 80, "HTTP", null)))));
        var route = create(new HTTPRouteBuilder().withNewMetadata().withNamespace("gateway-api").withName("store").endMetadata()
                .withNewSpec().addNewParentRef().withName("edge").endParentRef().withHostnames("store.example.com")
                .addNewRule().addNewBackendRef().withName("web").withPort(80).endBackendRef().endRule().endSpec().build());
        assertThat(sink.next(seen + 2)).isEqualTo(new Upserted(new HttpRouteInput("gateway-api", "store", 1, createdAt(route),
                List.of(new HttpRouteInput.ParentRef(null, null, null, "edge", null, null)), List.of("store.example.com"),
                List.of(new HttpRouteInput.Rule(List.of(), List.of(new HttpRouteInput.BackendRef(null, null, null, "web", 80, null)))))));

        delete(route);
        assertThat(sink.next(seen + 3)).isEqualTo(new Deleted(ObjectRef.of(ObjectRef.Kind.HTTP_ROUTE, "gateway-api", "store")));
        delete(gateway);
        assertThat(sink.next(seen + 4)).isEqualTo(new Deleted(ObjectRef.of(ObjectRef.Kind.GATEWAY, "gateway-api", "edge")));
        delete(gatewayClass);
        assertThat(sink.next(seen + 5)).isEqualTo(new Deleted(ObjectRef.of(ObjectRef.Kind.GATEWAY_CLASS, "", "gateway-api-class")));
    }

    /** A cluster without the Gateway API CRDs answers 404 for them: the source syncs without them and reads the rest. */
    @Test
    void withoutGatewayApiTheSourceStillSyncsAndReadsTheRest() {
        try (KubeMock bare = KubeMock.withoutGroups(List.of("gateway.networking.k8s.io"))) {
            bare.client().resource(Fixtures.service("plain", "web").port("http", 80).build()).create();
            source = new KubernetesSource(bare.newClient(), List.of("plain"));
            source.start(sink);
            List<Delivery> deliveries = sink.await("synced", d -> d.contains(new Synced()));
            assertThat(deliveries).containsExactly(
                    new Upserted(new ServiceInput("plain", "web", "ClusterIP", null, List.of(new ServiceInput.Port("http", 80, "TCP", null)))),
                    new Synced());
            source.close();
            source = null;
        }
    }

    private static <T extends HasMetadata> T create(T object) {
        return kube.api().resource(object).create();
    }

    private static <T extends HasMetadata> T update(T object) {
        return kube.api().resource(object).update();
    }

    private static void delete(HasMetadata object) {
        kube.api().resource(object).delete();
    }

    private static Instant createdAt(HasMetadata object) {
        return Instant.parse(object.getMetadata().getCreationTimestamp());
    }
}
