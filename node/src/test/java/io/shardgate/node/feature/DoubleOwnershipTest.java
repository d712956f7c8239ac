package io.shardgate.node.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.node.Node;
import io.shardgate.node.config.NodeConfigParser;
import io.shardgate.node.testing.Conditions;
import io.shardgate.sharding.ShardId;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.ReceivedResource;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsClientOptions;
import io.shardgate.xdsclient.XdsState;
import io.shardgate.xdsclient.XdsType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two nodes that both believe they own the same shard (a GC pause, a split brain) serve byte-identical
 * resources with identical versions: translation is deterministic and versions are content hashes, so
 * double ownership is harmless by construction. The two nodes are separate clusters, so each owns all.
 */
class DoubleOwnershipTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "../examples"));
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void twoOwnersOfOneShardServeByteIdenticalResources() throws Exception {
        List<Node> nodes = new ArrayList<>();
        List<XdsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Node node = Node.start(NodeConfigParser.parse(new String[] {"--manifests=" + EXAMPLES,
                        "--listen-address=127.0.0.1", "--ads-port=0", "--admin-port=0", "--member-port=0",
                        "--cluster-name=double-" + i + "-" + System.nanoTime(), "--insecure-ads"}, Map.of()));
                nodes.add(node);
                Conditions.await("node ready", WAIT, node.engine()::isReady);
                clients.add(XdsClient.connect(XdsClientOptions.of("127.0.0.1", node.adsPort(), Mode.DELTA,
                        "envoy-" + i, "shardgate", 0)));
            }
            for (int i = 0; i < 2; i++) {
                Node node = nodes.get(i);
                assertThat(clients.get(i).awaitState(s -> holdsEverythingServed(node, s), WAIT)).as(clients.get(i).describe())
                        .isTrue();
            }
            assertThat(held(clients.get(0), XdsType.SECRET)).as("the examples' TLS is served").isNotEmpty();
            for (XdsType type : XdsType.values()) {
                assertThat(held(clients.get(1), type)).as(type.name()).isEqualTo(held(clients.get(0), type));
            }
        } finally {
            clients.forEach(XdsClient::close);
            nodes.forEach(Node::close);
        }
    }

    /**
     * The client holds a resource of every name its node serves for shard 0, of every type, and the examples' classic
     * gateway serves something of every type but scoped routes (which only the scoped layout has).
     */
    private static boolean holdsEverythingServed(Node node, XdsState state) {
        var store = node.directory().store(new ShardId("shardgate", 0));
        if (!store.isReady()) return false;
        for (XdsType type : XdsType.values()) {
            Set<String> served = store.all(ResourceType.valueOf(type.name())).stream().map(r -> r.name())
                    .collect(Collectors.toSet());
            if (served.isEmpty() != (type == XdsType.SCOPED_ROUTE) || !state.resources(type).keySet().equals(served)) return false;
        }
        return true;
    }

    /** name → version and bytes, as the client holds them. */
    private static Map<String, String> held(XdsClient client, XdsType type) {
        return client.resources(type).values().stream().collect(Collectors.toMap(ReceivedResource::name,
                r -> r.version() + ":" + java.util.HexFormat.of().formatHex(r.body().toByteArray())));
    }
}
