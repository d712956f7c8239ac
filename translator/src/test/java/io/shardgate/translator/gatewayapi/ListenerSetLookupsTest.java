package io.shardgate.translator.gatewayapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ListenerSetInput;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.status.ListenerRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A Gateway may carry 100,000 ListenerSets: judging one route, or one set's status, must ask a fixed number of
 * questions of the definitions, whatever the number of sets.
 */
class ListenerSetLookupsTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void oneRouteOnOneListenerSetCostsTheSameLookupsWhateverTheNumberOfSets() {
        assertThat(lookupsToJudge(10)).isEqualTo(lookupsToJudge(2_000)).isLessThan(10);
    }

    @Test
    void theOlderSetKeepsAHostnameAndTheGatewaysOwnListenersComeFirst() {
        List<InputObject> objects = world(3);
        objects.add(set("late", T0.plusSeconds(60), "h1.example.com")); // the same hostname as set s1, but younger
        objects.add(set("gw-clash", T0, "gateway.example.com")); // the Gateway's own listener's hostname
        GatewayDefinitions definitions = GatewayDefinitions.of(objects);

        assertThat(attached(route("late"), definitions)).as("a conflicted listener takes no route").isEmpty();
        assertThat(attached(route("gw-clash"), definitions)).isEmpty();
        assertThat(attached(route("s1"), definitions))
                .containsExactly(new ListenerRef(ObjectRef.of(ObjectRef.Kind.LISTENER_SET, "team", "s1"), "http"));
    }

    /** How many lookups judging a route on set s1 of a Gateway with that many sets makes. */
    private static int lookupsToJudge(int sets) {
        AtomicInteger lookups = new AtomicInteger();
        GatewayDefinitions counting = counting(GatewayDefinitions.of(world(sets)), lookups);
        Optional<?> claim = new HttpRouteModeler(io.shardgate.translator.TranslatorConfig.defaults(),
                new io.shardgate.translator.tls.CertificateInspector()).claimOf(route("s1"), counting);
        assertThat(claim).isPresent();
        return lookups.get();
    }

    private static List<InputObject> world(int sets) {
        List<InputObject> objects = new ArrayList<>();
        objects.add(new GatewayClassInput("public", IngressClassInput.CONTROLLER));
        objects.add(new GatewayInput("infra", "edge", 1, "public",
                List.of(new GatewayInput.Listener("http", "gateway.example.com", 80, "HTTP", "All")), null, List.of(), "All"));
        for (int i = 0; i < sets; i++) objects.add(set("s" + i, T0.plusSeconds(i), "h" + i + ".example.com"));
        return objects;
    }

    private static ListenerSetInput set(String name, Instant created, String hostname) {
        return new ListenerSetInput("team", name, 1, created, new ListenerSetInput.ParentRef(null, null, "infra", "edge"),
                List.of(new GatewayInput.Listener("http", hostname, 80, "HTTP", null)));
    }

    private static HttpRouteInput route(String set) {
        return new HttpRouteInput("team", "r-" + set, 1, T0, List.of(new HttpRouteInput.ParentRef(null, "ListenerSet", null, set, null, null)),
                List.of(), List.of(new HttpRouteInput.Rule(List.of(), List.of())));
    }

    private static GatewayDefinitions counting(GatewayDefinitions inner, AtomicInteger lookups) {
        return new GatewayDefinitions() {
            @Override
            public Collection<IngressClassInput> ingressClasses() {
                lookups.incrementAndGet();
                return inner.ingressClasses();
            }

            @Override
            public Optional<GatewayClassInput> gatewayClass(String name) {
                lookups.incrementAndGet();
                return inner.gatewayClass(name);
            }

            @Override
            public Optional<GatewayInput> gateway(String namespace, String name) {
                lookups.incrementAndGet();
                return inner.gateway(namespace, name);
            }

            @Override
            public Optional<ListenerSetInput> listenerSet(String namespace, String name) {
                lookups.incrementAndGet();
                return inner.listenerSet(namespace, name);
            }

            @Override
            public Optional<ListenerSetInput.Claimant> firstListenerSetListener(ObjectRef gateway, int port) {
                lookups.incrementAndGet();
                return inner.firstListenerSetListener(gateway, port);
            }

            @Override
            public Optional<ListenerSetInput.Claimant> firstListenerSetListener(ObjectRef gateway, int port, String hostname) {
                lookups.incrementAndGet();
                return inner.firstListenerSetListener(gateway, port, hostname);
            }

            @Override
            public Optional<io.shardgate.translator.input.NamespaceInput> namespace(String name) {
                lookups.incrementAndGet();
                return inner.namespace(name);
            }
        };
    }

    /** The listeners the route is attached to, as the node counts attachedRoutes. */
    private static Set<ListenerRef> attached(HttpRouteInput route, GatewayDefinitions definitions) {
        return GatewayApiStatuses.attachedListeners(route, "public", definitions);
    }
}
