package io.shardgate.translator.shard;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.shardgate.translator.Translator;
import io.shardgate.translator.TranslatorConfig;
import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.domain.DomainResult;
import io.shardgate.translator.input.GatewayLayout;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.resource.Part;
import io.shardgate.translator.resource.ResourceKey;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scoped layout in the shard assembly: what a domain change sends, and, for random sequences of domain
 * changes and layout switches, that the content built step by step equals a fresh assembly's given the same domains.
 */
class ShardAssemblyLayoutTest {
    private static final Translator TRANSLATOR = Translator.create(TranslatorConfig.defaults());
    private static final ClusterKey WEB = new ClusterKey("shop", "web", 80, ClusterKey.UpstreamProtocol.HTTP);
    private static final SharedResources SHARED = new SharedResources() {
        @Override
        public XdsResource cluster(ClusterKey key) {
            return XdsResource.of(ResourceType.CLUSTER, key.clusterName(), ByteString.copyFromUtf8("cluster " + key));
        }

        @Override
        public XdsResource loadAssignment(ClusterKey key) {
            return XdsResource.of(ResourceType.ENDPOINT, key.endpointsName(), ByteString.copyFromUtf8("endpoints " + key));
        }

        @Override
        public Optional<XdsResource> secret(ObjectRef secret) {
            return Optional.empty();
        }
    };

    private static DomainResult plain(String host, String content) {
        return new DomainResult.Served(host, Optional.empty(), Optional.empty(),
                Optional.of(Part.of(host, ByteString.copyFromUtf8("vhost " + host + " " + content))),
                new TreeSet<>(Set.of(WEB)), new TreeSet<>(),
                new TreeSet<>(Set.of(ObjectRef.of(ObjectRef.Kind.INGRESS, "shop", "web"))), List.of(), Optional.empty());
    }

    private static Set<String> names(ShardChanges changes, ResourceType type) {
        Set<String> names = new TreeSet<>();
        changes.puts().stream().filter(r -> r.type() == type).forEach(r -> names.add(r.name()));
        return names;
    }

    @Test
    void aRouteEditSendsThatDomainsRouteConfigurationOnly() {
        ShardAssembly assembly = new ShardAssembly(TRANSLATOR, GatewayLayout.SCOPED);
        assembly.apply("a.example.com", plain("a.example.com", "v1"), SHARED);
        assembly.apply("b.example.com", plain("b.example.com", "v1"), SHARED);
        ShardChanges first = assembly.takeChanges();
        assertThat(names(first, ResourceType.SCOPED_ROUTE)).containsExactly("http/a.example.com", "http/b.example.com");
        assertThat(names(first, ResourceType.ROUTE)).containsExactly("http/a.example.com", "http/b.example.com");

        assembly.apply("a.example.com", plain("a.example.com", "v2"), SHARED);
        ShardChanges edit = assembly.takeChanges();
        assertThat(edit.puts()).extracting(XdsResource::name).containsExactly("http/a.example.com");
        assertThat(edit.puts().get(0).type()).isEqualTo(ResourceType.ROUTE);
        assertThat(edit.removals()).isEmpty();

        assembly.apply("b.example.com", null, SHARED);
        assertThat(assembly.takeChanges().removals()).containsExactlyInAnyOrder(
                new ResourceKey(ResourceType.SCOPED_ROUTE, "http/b.example.com"),
                new ResourceKey(ResourceType.ROUTE, "http/b.example.com"));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void everyStepServesWhatAFreshAssemblyBuilds(long seed) {
        Random random = new Random(seed);
        List<String> hosts = List.of("a.example.com", "b.example.com", "c.example.com", "*.example.com", "*", "d.example.com");
        GatewayLayout layout = GatewayLayout.values()[random.nextInt(2)];
        ShardAssembly incremental = new ShardAssembly(TRANSLATOR, layout);
        Map<String, DomainResult> current = new HashMap<>();
        Map<ResourceKey, ByteString> served = new HashMap<>();
        for (int step = 0; step < 300; step++) {
            int action = random.nextInt(10);
            if (action == 0) {
                layout = GatewayLayout.values()[random.nextInt(2)];
                incremental.relayout(layout);
            } else {
                String host = hosts.get(random.nextInt(hosts.size()));
                DomainResult result = switch (random.nextInt(4)) {
                    case 0 -> null;
                    case 1 -> new DomainResult.Rejected(host, new TreeSet<>(), List.of());
                    default -> plain(host, "v" + random.nextInt(3));
                };
                if (result == null) current.remove(host); else current.put(host, result);
                incremental.apply(host, result, SHARED);
            }
            applyTo(served, incremental.takeChanges());

            ShardAssembly fresh = new ShardAssembly(TRANSLATOR, layout);
            current.forEach((host, result) -> fresh.apply(host, result, SHARED));
            Map<ResourceKey, ByteString> expected = new HashMap<>();
            applyTo(expected, fresh.takeChanges());
            assertThat(served).as("seed %d step %d (%s)", seed, step, layout).isEqualTo(expected);
        }
    }

    private static void applyTo(Map<ResourceKey, ByteString> content, ShardChanges changes) {
        changes.removals().forEach(content::remove);
        changes.puts().forEach(r -> content.put(ResourceKey.of(r), r.body()));
    }
}
