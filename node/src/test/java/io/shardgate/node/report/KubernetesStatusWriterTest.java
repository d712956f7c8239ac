package io.shardgate.node.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.shardgate.node.testing.Fixtures;
import io.shardgate.node.testing.KubeMockExtension;
import io.shardgate.translator.input.ObjectRef;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KubernetesStatusWriterTest {
    private static final List<String> ADDRESSES = List.of("192.0.2.10", "lb.example.com");
    private static final java.util.SortedSet<Integer> SHARD_0 = new java.util.TreeSet<>(List.of(0));
    private static final List<IngressLoadBalancerIngress> PUBLISHED = List.of(
            new IngressLoadBalancerIngressBuilder().withIp("192.0.2.10").build(),
            new IngressLoadBalancerIngressBuilder().withHostname("lb.example.com").build());

    @RegisterExtension
    static final KubeMockExtension kube = new KubeMockExtension();

    @Test
    void servedPublishesTheAddressesAndNotServedClearsThem() {
        Resource<Ingress> web = createIngress("web");
        try (KubernetesStatusWriter writer = new KubernetesStatusWriter(kube.newClient(), ADDRESSES)) {
            writer.served(ref("web"), "public", SHARD_0);
            assertThat(published(web.waitUntilCondition(i -> !published(i).isEmpty(), 20, TimeUnit.SECONDS))).isEqualTo(PUBLISHED);

            writer.notServed(ref("web"));
            assertThat(published(web.waitUntilCondition(i -> published(i).isEmpty(), 20, TimeUnit.SECONDS))).isEmpty();
            assertThat(web.get().getSpec().getRules()).hasSize(1); // only the status changed
        }
    }

    @Test
    void aStatusThatIsAlreadyRightIsNotWrittenAgain() {
        Resource<Ingress> web = createIngress("already");
        KubernetesStatusWriter first = new KubernetesStatusWriter(kube.newClient(), ADDRESSES);
        first.served(ref("already"), "public", SHARD_0);
        first.served(ref("already"), "public", SHARD_0);
        first.close(); // applies what was asked
        assertThat(first.writes()).isEqualTo(1);
        String version = web.get().getMetadata().getResourceVersion();

        // A new writer (a restarted node) reads the status, finds it right and leaves it.
        KubernetesStatusWriter restarted = new KubernetesStatusWriter(kube.newClient(), ADDRESSES);
        restarted.served(ref("already"), "public", SHARD_0);
        restarted.notServed(ref("missing"));
        restarted.close();

        assertThat(restarted.writes()).isZero();
        assertThat(web.get().getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(published(web.get())).isEqualTo(PUBLISHED);
    }

    @Test
    void aShardAddressIsPublishedForEveryShardTheHostsFallIn() {
        Resource<Ingress> multi = createIngress("multi");
        try (KubernetesStatusWriter writer = new KubernetesStatusWriter(kube.newClient(),
                List.of("shard-{shard}.{gateway}.gw.example.com", "192.0.2.10"))) {
            writer.served(ref("multi"), "public", new java.util.TreeSet<>(List.of(3, 0)));
            assertThat(published(multi.waitUntilCondition(i -> !published(i).isEmpty(), 20, TimeUnit.SECONDS))).isEqualTo(List.of(
                    new IngressLoadBalancerIngressBuilder().withHostname("shard-0.public.gw.example.com").build(),
                    new IngressLoadBalancerIngressBuilder().withHostname("shard-3.public.gw.example.com").build(),
                    new IngressLoadBalancerIngressBuilder().withIp("192.0.2.10").build()));

            writer.served(ref("multi"), "public", new java.util.TreeSet<>(List.of(3)));
            assertThat(published(multi.waitUntilCondition(i -> published(i).size() == 2, 20, TimeUnit.SECONDS))).isEqualTo(List.of(
                    new IngressLoadBalancerIngressBuilder().withHostname("shard-3.public.gw.example.com").build(),
                    new IngressLoadBalancerIngressBuilder().withIp("192.0.2.10").build()));
        }
    }

    @Test
    void addressesMustBeIpsOrDnsNames() {
        assertThatThrownBy(() -> new KubernetesStatusWriter(kube.api(), List.of("not an address")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an address");
        assertThatThrownBy(() -> new KubernetesStatusWriter(kube.api(), List.of("shard_{shard}.example.com")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shard_0.example.com");
        assertThatThrownBy(() -> new KubernetesStatusWriter(kube.api(), List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static Resource<Ingress> createIngress(String name) {
        kube.api().resource(Fixtures.ingress("status", name).host(name + ".example.com").path("/", "web", 80).build()).create();
        return kube.api().network().v1().ingresses().inNamespace("status").withName(name);
    }

    private static ObjectRef ref(String name) {
        return ObjectRef.of(ObjectRef.Kind.INGRESS, "status", name);
    }

    private static List<IngressLoadBalancerIngress> published(Ingress ingress) {
        if (ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null) return List.of();
        List<IngressLoadBalancerIngress> published = ingress.getStatus().getLoadBalancer().getIngress();
        return published == null ? List.of() : published;
    }
}
