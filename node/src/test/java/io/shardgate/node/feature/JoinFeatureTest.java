package io.shardgate.node.feature;

import static io.shardgate.node.feature.SiteCluster.WAIT;
import static io.shardgate.node.feature.SiteCluster.awaitOwnership;
import static io.shardgate.node.feature.SiteCluster.domains;
import static io.shardgate.node.feature.SiteCluster.eachHeldOnce;
import static io.shardgate.node.feature.SiteCluster.hostsOfShard;
import static io.shardgate.node.feature.SiteCluster.owners;
import static io.shardgate.node.feature.SiteCluster.startNode;
import static io.shardgate.node.feature.SiteCluster.writeManifests;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.shardgate.node.Node;
import io.shardgate.sharding.ShardId;
import io.shardgate.node.testing.Conditions;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsClientOptions;
import io.shardgate.xdsclient.XdsType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fourth node joins three: exactly the shards the assignment gives it move, and an Envoy served directly
 * by a shard's old owner has its stream ended ("moved"), reconnects through the same node to the new
 * owner, and never holds a route configuration lacking one of its domains.
 */
class JoinFeatureTest {
    @TempDir
    Path manifests;

    @Test
    void aJoinMovesShardsOntoTheNewcomerAndTheirEnvoysFollowWithoutLosingADomain() throws Exception {
        writeManifests(manifests, "/");
        String cluster = "join-" + System.nanoTime();
        List<Node> nodes = new ArrayList<>();
        List<XdsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) nodes.add(startNode(manifests, cluster));
            awaitOwnership(nodes, 2);
            Map<ShardId, Node> before = owners(nodes);

            // One client per shard, each connected straight to its shard's owner (served locally).
            Map<Integer, XdsClient> byShard = new java.util.HashMap<>();
            List<String> violations = new CopyOnWriteArrayList<>();
            for (Map.Entry<ShardId, Node> owner : before.entrySet()) {
                int shard = owner.getKey().shard();
                Set<String> expected = hostsOfShard(shard);
                AtomicBoolean complete = new AtomicBoolean();
                XdsClient client = XdsClient.connect(XdsClientOptions.of("127.0.0.1", owner.getValue().adsPort(), Mode.DELTA,
                        "envoy-" + shard, "public", shard).withOnArrival(r -> {
                            if (r.type() != XdsType.ROUTE || !r.name().equals("http")) return;
                            Set<String> held = domains(r.message());
                            if (held.containsAll(expected)) {
                                complete.set(true);
                            } else if (complete.get()) {
                                violations.add("shard " + shard + ": route http arrived lacking domains");
                            }
                        }));
                clients.add(client);
                byShard.put(shard, client);
                assertThat(client.awaitState(s -> s.resource(XdsType.ROUTE, "http") != null
                        && domains(s.resource(XdsType.ROUTE, "http").message()).equals(expected), WAIT))
                        .as("shard %d before the join: %s", shard, client.describe()).isTrue();
            }

            // Make-before-break: when the old owner ends a moved shard's stream, the newcomer already serves it.
            List<Node> joined = new CopyOnWriteArrayList<>();
            // Judged when the stream ends; waited on as a future of its own, since get() on terminated() may return
            // before a callback registered on it has run.
            Map<Integer, java.util.concurrent.CompletableFuture<Boolean>> newcomerReadyAtEnd = new java.util.HashMap<>();
            byShard.forEach((shard, client) -> newcomerReadyAtEnd.put(shard, client.terminated().thenApply(status ->
                    !joined.isEmpty() && joined.get(0).directory().store(new ShardId("public", shard)).isReady())));
            Node newcomer = startNode(manifests, cluster);
            joined.add(newcomer);
            nodes.add(newcomer);
            Conditions.awaitDescribed("the newcomer owns its share and every shard is placed once", WAIT, () ->
                    newcomer.engine().isReady() && newcomer.engine().ownedShards().size() == 1
                            && nodes.stream().allMatch(n -> n.engine().ownedShards().keySet().stream()
                                    .allMatch(k -> n.directory().store(k).isReady()))
                            && eachHeldOnce(nodes),
                    () -> nodes.stream().map(n -> n.engine().ownedShards().toString()).toList().toString());
            Map<ShardId, Node> after = owners(nodes);
            Set<ShardId> moved = new HashSet<>();
            after.forEach((shard, owner) -> {
                if (owner != before.get(shard)) moved.add(shard);
            });
            assertThat(moved).as("only the newcomer's shard moves").hasSize(1);
            assertThat(after.get(moved.iterator().next())).isSameAs(newcomer);

            // The moved shard's Envoy: its stream to the old owner ends; it reconnects there and is relayed on.
            ShardId movedShard = moved.iterator().next();
            XdsClient movedClient = byShard.get(movedShard.shard());
            Status ended = movedClient.terminated().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(ended.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(ended.getDescription()).contains("moved");
            assertThat(newcomerReadyAtEnd.get(movedShard.shard()).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as("the newcomer was ready for the shard before its old owner let go").isTrue();
            movedClient.reconnect();
            Node oldOwner = before.get(movedShard);
            Conditions.awaitDescribed("the moved Envoy relayed to the newcomer", WAIT, () -> oldOwner.clients().stream()
                    .anyMatch(c -> c.nodeId().equals("envoy-" + movedShard.shard())
                            && ("127.0.0.1:" + newcomer.adsPort()).equals(c.relayedTo())), movedClient::describe);

            // A change reaches every Envoy, the moved one through its new path; none ever lacked a domain.
            writeManifests(manifests, "/v2");
            for (Map.Entry<Integer, XdsClient> e : byShard.entrySet()) {
                Set<String> expected = hostsOfShard(e.getKey());
                assertThat(e.getValue().awaitState(s -> s.resource(XdsType.ROUTE, "http") != null
                        && domains(s.resource(XdsType.ROUTE, "http").message()).equals(expected)
                        && s.resource(XdsType.ROUTE, "http").body().toStringUtf8().contains("/v2"), WAIT))
                        .as("shard %d after the join: %s", e.getKey(), e.getValue().describe()).isTrue();
            }
            assertThat(violations).isEmpty();
            for (Map.Entry<ShardId, Node> owner : before.entrySet()) {
                if (!moved.contains(owner.getKey())) {
                    assertThat(byShard.get(owner.getKey().shard()).terminated()).as("unmoved shard's stream").isNotDone();
                }
            }
        } finally {
            clients.forEach(XdsClient::close);
            nodes.forEach(Node::close);
        }
    }

    /**
     * The nodes that served a change have told how far they read; a node that starts after it, in a quiet cluster,
     * must be able to show it read as far (its first read counts) or the moves to it would wait for an edit forever.
     */
    @Test
    void aNodeJoiningAQuietClusterAfterAChangeTakesItsShareWithoutAnotherChange() throws Exception {
        writeManifests(manifests, "/");
        String cluster = "quiet-join-" + System.nanoTime();
        List<Node> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) nodes.add(startNode(manifests, cluster));
            awaitOwnership(nodes, 3);
            writeManifests(manifests, "/v2");
            long changedAt = java.nio.file.Files.getLastModifiedTime(manifests).toMillis();
            Conditions.awaitDescribed("both nodes telling they read the change", WAIT, () -> nodes.stream()
                    .allMatch(n -> n.engine().sourceWatermark().positionOf("files") >= changedAt),
                    () -> nodes.stream().map(n -> n.engine().sourceWatermark().toString()).toList() + " vs " + changedAt);

            nodes.add(startNode(manifests, cluster));

            awaitOwnership(nodes, 2);
        } finally {
            nodes.forEach(Node::close);
        }
    }
}
