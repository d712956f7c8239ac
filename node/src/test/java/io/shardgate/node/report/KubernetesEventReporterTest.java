package io.shardgate.node.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.shardgate.node.testing.Fixtures;
import io.shardgate.node.testing.KubeMockExtension;
import io.shardgate.translator.Problem;
import io.shardgate.translator.input.ObjectRef;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KubernetesEventReporterTest {
    @RegisterExtension
    static final KubeMockExtension kube = new KubeMockExtension();

    @Test
    void anEventPerNewProblemOnTheObjectAtFault() {
        Ingress web = kube.api().resource(Fixtures.ingress("events", "web").host("a.example.com").path("/", "web", 80).build()).create();
        ObjectRef webRef = ObjectRef.of(ObjectRef.Kind.INGRESS, "events", "web");
        Problem badPath = new Problem(webRef, "a.example.com", "InvalidPath", "path \"x\" must start with /");
        Problem hostTaken = new Problem(webRef, "b.example.com", "HostConflict", "b.example.com is claimed by other/web");
        AtomicInteger counted = new AtomicInteger();

        try (KubernetesEventReporter reporter = new KubernetesEventReporter(kube.newClient(), problem -> counted.incrementAndGet())) {
            reporter.report("a.example.com", List.of(badPath));
            reporter.report("a.example.com", List.of(badPath));
            reporter.report("b.example.com", List.of(hostTaken));
            reporter.report("b.example.com", List.of());
            reporter.report("b.example.com", List.of(hostTaken));
        } // close() sends what is queued

        assertThat(counted).hasValue(3);
        assertThat(eventsWithReason("events", "InvalidPath")).hasSize(1);
        assertThat(eventsWithReason("events", "HostConflict")).hasSize(2);
        Event event = eventsWithReason("events", "InvalidPath").get(0);
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getMessage()).isEqualTo("path \"x\" must start with /");
        assertThat(event.getSource().getComponent()).isEqualTo("shardgate");
        assertThat(event.getCount()).isEqualTo(1);
        ObjectReference involved = event.getInvolvedObject();
        assertThat(List.of(involved.getApiVersion(), involved.getKind(), involved.getNamespace(), involved.getName(), involved.getUid()))
                .containsExactly("networking.k8s.io/v1", "Ingress", "events", "web", web.getMetadata().getUid());
    }

    @Test
    void eventsOnClusterScopedObjectsGoToTheDefaultNamespace() {
        kube.api().resource(Fixtures.ingressClass("events-class", false)).create();
        Problem badShards = new Problem(ObjectRef.of(ObjectRef.Kind.INGRESS_CLASS, "", "events-class"), null,
                "InvalidShardCount", "shardgate.io/shards must be a positive integer");

        try (KubernetesEventReporter reporter = new KubernetesEventReporter(kube.newClient(), problem -> {})) {
            reporter.report("class events-class", List.of(badShards));
        }

        List<Event> events = eventsWithReason("default", "InvalidShardCount");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getInvolvedObject().getKind()).isEqualTo("IngressClass");
        assertThat(events.get(0).getInvolvedObject().getNamespace()).isNull();
        assertThat(events.get(0).getInvolvedObject().getName()).isEqualTo("events-class");
    }

    @Test
    void eventsBeyondTheQueueAreDroppedAndCountedWhileTheApiServerStalls() throws IOException {
        // Accepts connections at the TCP level and never answers: the sender thread waits on its first Event.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             KubernetesClient stalled = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                     .withMasterUrl("http://127.0.0.1:" + silent.getLocalPort())
                     .withRequestTimeout(500).withRequestRetryBackoffLimit(0).build()).build()) {
            AtomicInteger counted = new AtomicInteger();
            KubernetesEventReporter reporter = new KubernetesEventReporter(stalled, problem -> counted.incrementAndGet(), 1);
            for (int i = 0; i < 5; i++) {
                reporter.report("d" + i + ".example.com", List.of(new Problem(
                        ObjectRef.of(ObjectRef.Kind.INGRESS, "events", "web"), "d" + i + ".example.com", "InvalidPath", "bad")));
            }
            // One Event in flight, one queued, three dropped; the metric callback saw all five.
            assertThat(reporter.droppedEvents()).isEqualTo(3);
            assertThat(counted).hasValue(5);
            reporter.close();
        }
    }

    private static List<Event> eventsWithReason(String namespace, String reason) {
        return kube.api().v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(event -> reason.equals(event.getReason()))
                .toList();
    }
}
