package io.shardgate.node.feature;

import static io.shardgate.node.feature.SiteCluster.*;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.node.Node;
import io.shardgate.sharding.ShardId;
import io.shardgate.node.testing.Conditions;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsClientOptions;
import io.shardgate.xdsclient.XdsType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three (and five) nodes form one Hazelcast cluster on loopback and share a gateway of 6 shards: each owns and
 * translates only its own (as even a share as can be, none twice), an Envoy connected to a shard's owner gets
 * exactly that shard's domains, and when a node leaves only its shards move.
 */
class ClusterFeatureTest {

    @TempDir
    Path manifests;

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {3, 5})
    void nodesShareTheShardsTranslateOnlyTheirOwnAndALeaveMovesOnlyTheLeaversShards(int size) throws Exception {
        writeManifests(manifests, "/");
        String cluster = "cluster-" + System.nanoTime();
        List<Node> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) nodes.add(startNode(manifests, cluster));
            awaitBalanced(nodes);

            // Every shard owned by exactly one node, every domain translated and held by exactly one node.
            Map<ShardId, Node> owners = owners(nodes);
            assertThat(owners).hasSize(SHARDS);
            assertThat(nodes.stream().mapToInt(n -> n.engine().ownedShards().values().stream().mapToInt(x -> x).sum()).sum())
                    .isEqualTo(DOMAINS);

            // A change to every domain costs each node exactly its own domains.
            Map<Node, Long> before = new HashMap<>();
            nodes.forEach(n -> before.put(n, n.engine().domainsTranslated()));
            writeManifests(manifests, "/v2");
            for (Node n : nodes) {
                int own = n.engine().ownedShards().values().stream().mapToInt(x -> x).sum();
                Conditions.await("node translated its own domains again", WAIT,
                        () -> n.engine().domainsTranslated() - before.get(n) >= own);
            }
            awaitAllRoutesContain(nodes, "/v2");
            long total = 0;
            for (Node n : nodes) {
                long delta = n.engine().domainsTranslated() - before.get(n);
                assertThat(delta).as("translations on one node").isEqualTo(
                        n.engine().ownedShards().values().stream().mapToInt(x -> x).sum());
                total += delta;
            }
            assertThat(total).as("translations across the cluster").isEqualTo(DOMAINS);

            // An Envoy on a shard's owner gets exactly that shard's domains.
            for (Map.Entry<ShardId, Node> owner : owners.entrySet()) {
                try (XdsClient envoy = XdsClient.connect(XdsClientOptions.of("127.0.0.1", owner.getValue().adsPort(),
                        Mode.DELTA, "envoy-" + owner.getKey().shard(), "public", owner.getKey().shard()))) {
                    Set<String> expected = hostsOfShard(owner.getKey().shard());
                    boolean got = envoy.awaitState(s -> s.resource(XdsType.ROUTE, "http") != null
                            && domains(s.resource(XdsType.ROUTE, "http").message()).equals(expected), WAIT);
                    assertThat(got).as("shard %s: %s", owner.getKey(), envoy.describe()).isTrue();
                }
            }

            // Every node's admin endpoint lists every connected Envoy and who serves it.
            try (XdsClient watcher = XdsClient.connect(XdsClientOptions.of("127.0.0.1", nodes.get(0).adsPort(), Mode.SOTW,
                    "watcher", "public", owners.keySet().stream().filter(k -> owners.get(k) == nodes.get(0))
                            .findFirst().orElseThrow().shard()))) {
                for (Node n : nodes) {
                    Conditions.await("the client registry on every node", WAIT, () -> adminGet(n, "/debug/cluster-clients")
                            .contains("\"clientId\":\"watcher\"") && adminGet(n, "/debug/cluster-clients")
                            .contains("\"memberId\":\"" + nodes.get(0).memberId() + "\""));
                }
            }

            // A node leaves: the others take its shards; nothing else moves.
            Node leaver = nodes.remove(2);
            Set<ShardId> leaverShards = leaver.engine().ownedShards().keySet();
            Map<Node, Set<ShardId>> kept = new HashMap<>();
            nodes.forEach(n -> kept.put(n, new HashSet<>(n.engine().ownedShards().keySet())));
            leaver.close();
            awaitBalanced(nodes);
            for (Node n : nodes) {
                Set<ShardId> now = n.engine().ownedShards().keySet();
                assertThat(now).containsAll(kept.get(n));
                Set<ShardId> gained = new TreeSet<>(now);
                gained.removeAll(kept.get(n));
                assertThat(leaverShards).containsAll(gained);
            }
            assertThat(nodes.stream().mapToInt(n -> n.engine().ownedShards().values().stream().mapToInt(x -> x).sum()).sum())
                    .isEqualTo(DOMAINS);
        } finally {
            nodes.forEach(Node::close);
        }
    }

    private static String adminGet(Node node, String path) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + node.adminPort() + path)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }
    private static void awaitAllRoutesContain(List<Node> nodes, String path) {
        Conditions.await("every owned shard's routes updated", WAIT, () -> nodes.stream().allMatch(n ->
                n.engine().ownedShards().keySet().stream().allMatch(k -> {
                    var routes = n.directory().store(k).get(io.shardgate.translator.resource.ResourceType.ROUTE, "http");
                    return routes != null && routes.body().toStringUtf8().contains(path);
                })));
    }

}
