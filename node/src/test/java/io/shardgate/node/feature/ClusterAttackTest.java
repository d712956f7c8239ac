package io.shardgate.node.feature;

import static io.shardgate.node.feature.SiteCluster.*;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.shardgate.cluster.ClusterKey;
import io.shardgate.cluster.CountingListener;
import io.shardgate.cluster.Gadget;
import io.shardgate.cluster.KeyedWriter;
import io.shardgate.cluster.RogueMember;
import io.shardgate.cluster.StoredTable;
import io.shardgate.node.Node;
import io.shardgate.sharding.ShardId;
import io.shardgate.node.testing.Conditions;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsClientOptions;
import io.shardgate.xdsclient.XdsType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster channel under attack, as issue 13 found it open: a process with no cluster key joins the Hazelcast
 * cluster as a member and writes what it likes into the cluster's maps. Honest nodes (in this JVM, on loopback)
 * give it nothing, never relay to it, ignore what it writes, rewrite the shard table at once, never deserialise
 * its objects, and keep every shard with its owner, ready, throughout.
 */
class ClusterAttackTest {
    private static final String NOBODY = "00000000-0000-0000-0000-000000000000";

    @TempDir
    Path manifests;
    @TempDir
    Path keys;

    private final String cluster = "attack-" + System.nanoTime();
    private final ClusterKey key = ClusterKey.random();
    private final List<Node> nodes = new ArrayList<>();
    private final List<HazelcastInstance> rogues = new ArrayList<>();
    private Path keyFile;

    @BeforeEach
    void writeSitesAndKey() throws Exception {
        writeManifests(manifests, "/");
        keyFile = Files.writeString(keys.resolve("cluster.key"), key.toText());
    }

    @AfterEach
    void stopAll() {
        rogues.forEach(HazelcastInstance::shutdown);
        nodes.forEach(Node::close);
    }

    @Test
    void aRogueMemberGetsNoShardIsNeverRelayedToAndTheTablesItWritesAreIgnoredAndRewritten() throws Exception {
        try (CountingListener fakeAds = new CountingListener()) {
            for (int i = 0; i < 2; i++) nodes.add(startHonestNode());
            awaitBalanced(nodes);
            Map<ShardId, Node> owners = owners(nodes);

            // It advertises an ADS address of its own, as the member attribute honest nodes used to trust.
            HazelcastInstance rogue = rogue(Map.of("shardgate.ads-address", fakeAds.address()));
            for (Node n : nodes) {
                Conditions.await("the rogue seen as a member that does not prove the key", WAIT,
                        () -> metric(n, "shardgate_cluster_members") == 3 && metric(n, "shardgate_cluster_members_unproven") == 1);
            }
            assertThat(owners(nodes)).as("owners once the writer has seen the rogue").isEqualTo(owners);
            awaitEveryShardServedByEveryNode();
            assertThat(fakeAds.accepted()).as("streams relayed to the rogue's ADS address").isZero();

            String rogueId = rogue.getCluster().getLocalMember().getUuid().toString();
            attackTable(rogue, owners, everyShardTo(rogueId).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue() + "\n").reduce("", String::concat));
            String signed = StoredTable.text(rogue);
            attackTable(rogue, owners, signed.replaceFirst("public/0=[0-9a-f-]+", "public/0=" + rogueId));

            // An old signed table written back after the cluster moved on.
            long oldSequence = StoredTable.sequence(rogue, key);
            String old = StoredTable.text(rogue);
            nodes.add(startHonestNode());
            awaitBalanced(nodes);
            Conditions.await("the writer's table over three nodes stored", WAIT,
                    () -> StoredTable.sequence(rogue, key) > oldSequence);
            attackTable(rogue, owners(nodes), old);

            awaitEveryShardServedByEveryNode();
            assertThat(fakeAds.accepted()).as("streams relayed to the rogue's ADS address").isZero();
        }
    }

    @Test
    void garbageAnOwnerNobodyIsAndSerialisedObjectsChangeNothingAndTheClusterKeepsRebalancing() throws Exception {
        int gadgetsBefore = Gadget.READS.get();
        for (int i = 0; i < 2; i++) nodes.add(startHonestNode());
        awaitBalanced(nodes);
        Map<ShardId, Node> owners = owners(nodes);
        HazelcastInstance rogue = rogue(Map.of());

        attackTable(rogue, owners, "this is not a table");
        attackTable(rogue, owners, everyShardTo(NOBODY).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue() + "\n").reduce("", String::concat));
        attackTable(rogue, owners, new Gadget("table"));
        rogue.getMap("shardgate.draining").set(new Gadget("draining"), "draining");
        rogue.getMap("shardgate.members").set(nodes.get(0).memberId(), new Gadget("proof"));
        long sequence = StoredTable.sequence(rogue, key);
        rogue.getMap("shardgate.shard-table").delete("table");
        Conditions.await("the deleted table rewritten", WAIT, () -> StoredTable.sequence(rogue, key) > sequence);

        // The cluster still rebalances: a node joins, then one leaves.
        nodes.add(startHonestNode());
        awaitBalanced(nodes);
        nodes.remove(0).close();
        awaitBalanced(nodes);
        for (Node n : nodes) assertThat(status(n, "/readyz")).isEqualTo(200);
        assertThat(Gadget.READS.get()).as("gadgets deserialised by a node").isEqualTo(gadgetsBefore);
    }

    @Test
    void shardsWithoutAnOwnerShowInReadyzAndTheMetricUntilTheWriterPlacesThem() throws Exception {
        // The oldest admitted member, so the writer; it writes only what this test gives it.
        try (KeyedWriter writer = KeyedWriter.start(cluster, key)) {
            Node node = startHonestNode("--members=" + writer.address());
            nodes.add(node);
            Conditions.await("the keyed writer and the node admit each other", WAIT, () -> writer.view().nodes().size() == 2);
            writer.write(1, everyShardTo(node.memberId()));
            Conditions.await("the node ready, owning every shard", WAIT, () -> status(node, "/readyz") == 200
                    && node.engine().ownedShards().size() == SHARDS);

            writer.write(2, everyShardTo(NOBODY));
            Conditions.await("readyz and the metric reporting every shard unplaced", WAIT, () -> status(node, "/readyz") == 503
                    && body(node, "/readyz").contains(SHARDS + " shards unplaced")
                    && metric(node, "shardgate_shards_unplaced") == SHARDS);

            writer.close();
            Conditions.await("the node, now the writer, placing every shard", WAIT, () -> status(node, "/readyz") == 200
                    && metric(node, "shardgate_shards_unplaced") == 0 && node.engine().ownedShards().size() == SHARDS);
        }
    }

    private Node startHonestNode(String... flags) throws Exception {
        List<String> all = new ArrayList<>(List.of("--cluster-key-file=" + keyFile));
        all.addAll(List.of(flags));
        return startNode(manifests, cluster, all.toArray(String[]::new));
    }

    private HazelcastInstance rogue(Map<String, String> attributes) {
        HazelcastInstance rogue = RogueMember.join(cluster, "127.0.0.1", attributes);
        rogues.add(rogue);
        return rogue;
    }

    /**
     * Stores {@code value} where the shard table belongs, then waits until a newer table signed with the cluster
     * key replaced it; meanwhile every shard stays with its owner, every node ready, no shard reported unplaced.
     */
    private void attackTable(HazelcastInstance rogue, Map<ShardId, Node> owners, Object value) {
        long before = StoredTable.sequence(rogue, key);
        assertThat(before).as("a signed table stored before the attack").isPositive();
        StoredTable.overwrite(rogue, value);
        Conditions.awaitDescribed("the table rewritten, every shard kept by its owner meanwhile", WAIT, () -> {
            assertThat(owners(nodes)).isEqualTo(owners);
            for (Node n : nodes) {
                assertThat(status(n, "/readyz")).as("readyz").isEqualTo(200);
                assertThat(metric(n, "shardgate_shards_unplaced")).as("unplaced").isZero();
            }
            return StoredTable.sequence(rogue, key) > before;
        }, () -> StoredTable.text(rogue));
    }

    private void awaitEveryShardServedByEveryNode() throws Exception {
        for (int n = 0; n < nodes.size(); n++) {
            for (int shard = 0; shard < SHARDS; shard++) {
                try (XdsClient envoy = XdsClient.connect(XdsClientOptions.of("127.0.0.1", nodes.get(n).adsPort(),
                        Mode.DELTA, "envoy-" + n + "-" + shard, "public", shard))) {
                    Set<String> expected = hostsOfShard(shard);
                    boolean got = envoy.awaitState(s -> s.resource(XdsType.ROUTE, "http") != null
                            && domains(s.resource(XdsType.ROUTE, "http").message()).equals(expected), WAIT);
                    assertThat(got).as("node %d shard %d: %s", n, shard, envoy.describe()).isTrue();
                }
            }
        }
    }

    private static Map<ShardId, String> everyShardTo(String owner) {
        Map<ShardId, String> owners = new TreeMap<>();
        for (int shard = 0; shard < SHARDS; shard++) owners.put(new ShardId("public", shard), owner);
        return owners;
    }

    static double metric(Node node, String name) {
        for (String line : node.metricsText().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    static int status(Node node, String path) {
        return get(node, path).statusCode();
    }

    static String body(Node node, String path) {
        return get(node, path).body();
    }

    private static HttpResponse<String> get(Node node, String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
