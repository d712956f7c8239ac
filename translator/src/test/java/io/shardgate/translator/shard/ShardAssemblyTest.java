package io.shardgate.translator.shard;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.shardgate.translator.input.GatewayLayout;
import io.shardgate.translator.Translator;
import io.shardgate.translator.TranslatorConfig;
import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.domain.DomainResult;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.resource.Part;
import io.shardgate.translator.resource.ResourceKey;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ShardAssemblyTest {
    private static final ClusterKey WEB = new ClusterKey("shop", "web", 80, ClusterKey.UpstreamProtocol.HTTP);
    private static final ObjectRef TLS = ObjectRef.of(ObjectRef.Kind.SECRET, "shop", "tls");
    private static final SharedResources SHARED = new FakeSharedResources(secret -> Optional.of(XdsResource.of(ResourceType.SECRET,
            secret.namespace() + "/" + secret.name(), ByteString.copyFromUtf8("secret " + secret))));

    private final ShardAssembly assembly = new ShardAssembly(Translator.create(TranslatorConfig.defaults()), GatewayLayout.CLASSIC);

    private static DomainResult served(String host) {
        return new DomainResult.Served(host,
                Optional.of(Part.of(host, ByteString.copyFromUtf8("chain " + host))),
                Optional.of(XdsResource.of(ResourceType.ROUTE, "https/" + host, ByteString.copyFromUtf8("routes " + host))),
                Optional.of(Part.of(host, ByteString.copyFromUtf8("vhost " + host))),
                new TreeSet<>(Set.of(WEB)), new TreeSet<>(Set.of(TLS)),
                new TreeSet<>(Set.of(ObjectRef.of(ObjectRef.Kind.INGRESS, "shop", "web"))), List.of(), Optional.empty());
    }

    private static Set<String> names(List<XdsResource> resources, ResourceType type) {
        return resources.stream().filter(r -> r.type() == type).map(XdsResource::name).collect(Collectors.toSet());
    }

    @Test
    void aRenameInOneBatchKeepsWhatTheNewHostStillUses() {
        assembly.apply("a.example.com", served("a.example.com"), SHARED);
        assembly.takeChanges();

        assembly.apply("a.example.com", null, SHARED);
        assembly.apply("b.example.com", served("b.example.com"), SHARED);
        ShardChanges changes = assembly.takeChanges();

        assertThat(changes.removals()).containsExactly(new ResourceKey(ResourceType.ROUTE, "https/a.example.com"));
        assertThat(names(changes.puts(), ResourceType.CLUSTER)).containsExactly("shop/web:80");
        assertThat(names(changes.puts(), ResourceType.ENDPOINT)).containsExactly("shop/web:80");
        assertThat(names(changes.puts(), ResourceType.SECRET)).containsExactly("shop/tls");
        assertThat(names(changes.puts(), ResourceType.ROUTE)).containsExactly("https/b.example.com", "http");
    }

    @Test
    void theLastUserGoingRemovesSharedResourcesAndTheEmptyHttpsListener() {
        assembly.apply("a.example.com", served("a.example.com"), SHARED);
        assertThat(names(assembly.takeChanges().puts(), ResourceType.LISTENER)).containsExactly("http", "https");

        assembly.apply("a.example.com", null, SHARED);
        ShardChanges changes = assembly.takeChanges();
        assertThat(changes.removals()).containsExactlyInAnyOrder(
                new ResourceKey(ResourceType.ROUTE, "https/a.example.com"),
                new ResourceKey(ResourceType.CLUSTER, "shop/web:80"),
                new ResourceKey(ResourceType.ENDPOINT, "shop/web:80"),
                new ResourceKey(ResourceType.SECRET, "shop/tls"),
                new ResourceKey(ResourceType.LISTENER, "https"));
        assertThat(assembly.servedDomainCount()).isZero();
    }

    @Test
    void aRejectedDomainIsPlacedButNotServed() {
        assembly.apply("a.example.com", served("a.example.com"), SHARED);
        assembly.apply("bad.example.com", new DomainResult.Rejected("bad.example.com", new TreeSet<>(), List.of()), SHARED);
        assertThat(assembly.domainCount()).isEqualTo(2);
        assertThat(assembly.servedDomainCount()).isEqualTo(1);
    }
}
