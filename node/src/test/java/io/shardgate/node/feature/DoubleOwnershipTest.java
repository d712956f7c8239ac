package io.shardgate.node.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.node.Node;
import io.shardgate.node.config.NodeConfigParser;
import io.shardgate.node.testing.Conditions;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.ReceivedResource;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsClientOptions;
import io.shardgate.xdsclient.XdsType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
            for (XdsClient client : clients) {
                assertThat(client.awaitState(s -> s.resources(XdsType.SECRET).size() == 1
                        && s.resources(XdsType.ENDPOINT).size() == 4 && s.resources(XdsType.ROUTE).size() == 3, WAIT))
                        .as(client.describe()).isTrue();
            }
            for (XdsType type : XdsType.values()) {
                assertThat(held(clients.get(1), type)).as(type.name()).isEqualTo(held(clients.get(0), type));
            }
        } finally {
            clients.forEach(XdsClient::close);
            nodes.forEach(Node::close);
        }
    }

    /** name → version and bytes, as the client holds them. */
    private static Map<String, String> held(XdsClient client, XdsType type) {
        return client.resources(type).values().stream().collect(Collectors.toMap(ReceivedResource::name,
                r -> r.version() + ":" + java.util.HexFormat.of().formatHex(r.body().toByteArray())));
    }
}
