package io.shardgate.translator.shard;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
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
    private static final ObjectRef[] SECRETS = {
            ObjectRef.of(ObjectRef.Kind.SECRET, "shop", "a-tls"), ObjectRef.of(ObjectRef.Kind.SECRET, "shop", "b-tls")};
    /** Each Secret's current content; a test changes it and tells the assemblies. */
    private static final Map<ObjectRef, Integer> SECRET_VERSIONS = new HashMap<>();
    private static final SharedResources SHARED = new FakeSharedResources(ShardAssemblyLayoutTest::secret);

    private static Optional<XdsResource> secret(ObjectRef secret) {
        int version = SECRET_VERSIONS.getOrDefault(secret, 0);
        if (version < 0) return Optional.empty();
        String name = secret.namespace() + "/" + secret.name();
        return Optional.of(XdsResource.of(ResourceType.SECRET, name, Secret.newBuilder().setName(name)
                .setTlsCertificate(TlsCertificate.newBuilder().setCertificateChain(DataSource.newBuilder()
                        .setInlineString("certificate " + version))).build().toByteString()));
    }

    private static DomainResult plain(String host, String content) {
        return new DomainResult.Served(host, Optional.empty(), Optional.empty(),
                Optional.of(Part.of(host, ByteString.copyFromUtf8("vhost " + host + " " + content))),
                new TreeSet<>(Set.of(WEB)), new TreeSet<>(),
                new TreeSet<>(Set.of(ObjectRef.of(ObjectRef.Kind.INGRESS, "shop", "web"))), List.of(), Optional.empty());
    }

    /** A TLS domain: a chain, its HTTPS route configuration, a Secret, and the plain-HTTP redirect. */
    private static DomainResult tls(String host, String content, ObjectRef secret) {
        return new DomainResult.Served(host,
                Optional.of(Part.of(host, FilterChain.newBuilder().setName(host + "#" + content).build().toByteString())),
                Optional.of(XdsResource.of(ResourceType.ROUTE, "https/" + host, ByteString.copyFromUtf8("routes " + host + " " + content))),
                Optional.of(Part.of(host, ByteString.copyFromUtf8("redirect " + host))),
                new TreeSet<>(Set.of(WEB)), new TreeSet<>(Set.of(secret)),
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

    @Test
    void anExactTlsHostHasAChainOnlyWhileAWildcardOfTheShardCoversIt() throws Exception {
        ShardAssembly assembly = new ShardAssembly(TRANSLATOR, GatewayLayout.SCOPED);
        assembly.apply("a.x.example.com", tls("a.x.example.com", "v1", SECRETS[0]), SHARED);
        ShardChanges first = assembly.takeChanges();
        assertThat(names(first, ResourceType.SCOPED_ROUTE)).contains("https/a.x.example.com");
        assertThat(names(first, ResourceType.SECRET)).contains("a.x.example.com");
        assertThat(chains(first)).containsExactly("https");

        assembly.apply("*.example.com", tls("*.example.com", "v1", SECRETS[1]), SHARED);
        assertThat(chains(assembly.takeChanges())).containsExactly("https", "*.example.com", "a.x.example.com");

        assembly.apply("*.example.com", null, SHARED);
        assertThat(chains(assembly.takeChanges())).containsExactly("https");
    }

    /** The names of the HTTPS listener's filter chains in the changes, in order. */
    private static List<String> chains(ShardChanges changes) throws Exception {
        XdsResource https = changes.puts().stream().filter(r -> r.type() == ResourceType.LISTENER && r.name().equals("https"))
                .findFirst().orElseThrow();
        return io.envoyproxy.envoy.config.listener.v3.Listener.parseFrom(https.body()).getFilterChainsList().stream()
                .map(c -> c.getName().split("#")[0]).toList();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void everyStepServesWhatAFreshAssemblyBuilds(long seed) {
        Random random = new Random(seed);
        List<String> hosts = List.of("a.example.com", "b.example.com", "c.x.example.com", "*.example.com", "*", "d.example.com",
                "*.x.example.com", "other.org");
        SECRET_VERSIONS.clear();
        GatewayLayout layout = GatewayLayout.values()[random.nextInt(2)];
        ShardAssembly incremental = new ShardAssembly(TRANSLATOR, layout);
        Map<String, DomainResult> current = new HashMap<>();
        Map<ResourceKey, ByteString> served = new HashMap<>();
        for (int step = 0; step < 300; step++) {
            int action = random.nextInt(12);
            if (action == 0) {
                layout = GatewayLayout.values()[random.nextInt(2)];
                incremental.relayout(layout, SHARED);
            } else if (action == 1) {
                ObjectRef secret = SECRETS[random.nextInt(SECRETS.length)];
                SECRET_VERSIONS.put(secret, random.nextInt(4) - 1);
                incremental.secretChanged(secret, SHARED);
            } else {
                String host = hosts.get(random.nextInt(hosts.size()));
                DomainResult result = switch (random.nextInt(5)) {
                    case 0 -> null;
                    case 1 -> new DomainResult.Rejected(host, new TreeSet<>(), List.of());
                    case 2 -> plain(host, "v" + random.nextInt(3));
                    default -> host.equals("*") ? plain(host, "v0") : tls(host, "v" + random.nextInt(3), SECRETS[random.nextInt(SECRETS.length)]);
                };
                if (result == null) current.remove(host); else current.put(host, result);
                incremental.apply(host, result, SHARED);
            }
            applyTo(served, incremental.takeChanges());

            ShardAssembly fresh = new ShardAssembly(TRANSLATOR, layout);
            current.forEach((host, result) -> fresh.apply(host, result, SHARED));
            Map<ResourceKey, ByteString> expected = new HashMap<>();
            applyTo(expected, fresh.takeChanges());
            assertThat(differences(served, expected)).as("seed %d step %d (%s): served but not fresh (+), fresh but not served (-)",
                    seed, step, layout).isEmpty();
        }
    }

    private static List<String> differences(Map<ResourceKey, ByteString> served, Map<ResourceKey, ByteString> fresh) {
        List<String> out = new java.util.ArrayList<>();
        served.forEach((k, v) -> {
            if (!v.equals(fresh.get(k))) out.add("+" + k);
        });
        fresh.forEach((k, v) -> {
            if (!v.equals(served.get(k))) out.add("-" + k);
        });
        out.sort(null);
        return out;
    }

    private static void applyTo(Map<ResourceKey, ByteString> content, ShardChanges changes) {
        changes.removals().forEach(content::remove);
        changes.puts().forEach(r -> content.put(ResourceKey.of(r), r.body()));
    }
}
