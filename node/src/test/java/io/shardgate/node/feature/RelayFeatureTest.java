package io.shardgate.node.feature;

import static io.shardgate.node.feature.SiteCluster.*;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.shardgate.node.Node;
import io.shardgate.node.ads.ClientSnapshot;
import io.shardgate.sharding.ShardId;
import io.shardgate.node.testing.Conditions;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.ReceivedResource;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsClientOptions;
import io.shardgate.xdsclient.XdsType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes on loopback share a gateway of 6 shards. An Envoy may connect to any node: one that does not own
 * its shard relays the stream to the owner, so every client gets exactly its shard's domains, byte-identical to
 * the owner's store, whichever node it connected to. When the owner a stream is relayed to leaves, the stream
 * ends with UNAVAILABLE; the client reconnects (to the same node), is relayed to the new owner, and never holds
 * fewer domains than its shard has.
 */
class RelayFeatureTest {

    @TempDir
    Path manifests;

    @Test
    void everyNodeServesEveryShardByRelayAndAMovedRelayedClientReconnectsWithoutLosingADomain() throws Exception {
        writeManifests(manifests, "/");
        String cluster = "relay-" + System.nanoTime();
        List<Node> nodes = new ArrayList<>();
        List<XdsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) nodes.add(startNode(manifests, cluster));
            awaitOwnership(nodes, 2);
            Map<ShardId, Node> owners = owners(nodes);

            // Every shard, on every node, over both protocols: exactly the shard's domains, as the owner holds them.
            for (int n = 0; n < nodes.size(); n++) {
                Node node = nodes.get(n);
                for (int shard = 0; shard < SHARDS; shard++) {
                    Mode mode = (n + shard) % 2 == 0 ? Mode.DELTA : Mode.SOTW;
                    String id = "envoy-" + n + "-" + shard;
                    XdsClient envoy = XdsClient.connect(XdsClientOptions.of("127.0.0.1", node.adsPort(), mode, id,
                            "public", shard));
                    clients.add(envoy);
                    Set<String> expected = hostsOfShard(shard);
                    boolean got = envoy.awaitState(s -> s.resource(XdsType.ROUTE, "http") != null
                            && domains(s.resource(XdsType.ROUTE, "http").message()).equals(expected), WAIT);
                    assertThat(got).as("node %d shard %d (%s): %s", n, shard, mode, envoy.describe()).isTrue();
                    Node owner = owners.get(new ShardId("public", shard));
                    assertThat(envoy.resource(XdsType.ROUTE, "http").body())
                            .as("route bytes via node %d, shard %d", n, shard)
                            .isEqualTo(owner.directory().store(new ShardId("public", shard))
                                    .get(ResourceType.ROUTE, "http").body());
                    // /debug/clients marks relayed streams with the owner's ADS address.
                    ClientSnapshot snapshot = node.clients().stream().filter(c -> c.nodeId().equals(id)).findFirst()
                            .orElseThrow();
                    if (owner == node) {
                        assertThat(snapshot.relayedTo()).isNull();
                    } else {
                        assertThat(snapshot.relayedTo()).isEqualTo("127.0.0.1:" + owner.adsPort());
                    }
                }
            }
            clients.forEach(XdsClient::close);
            clients.clear();

            // A Delta client on node 0 relayed to the owner of one of node 2's shards; node 2 leaves.
            Node entry = nodes.get(0);
            Node leaver = nodes.get(2);
            int shard = leaver.engine().ownedShards().keySet().iterator().next().shard();
            Set<String> expected = hostsOfShard(shard);
            AtomicBoolean complete = new AtomicBoolean();
            List<String> violations = new CopyOnWriteArrayList<>();
            XdsClient relayed = XdsClient.connect(XdsClientOptions.of("127.0.0.1", entry.adsPort(), Mode.DELTA,
                    "envoy-moved", "public", shard).withOnArrival(r -> {
                        if (r.type() != XdsType.ROUTE || !r.name().equals("http")) return;
                        Set<String> held = domains(r.message());
                        if (held.containsAll(expected)) {
                            complete.set(true);
                        } else if (complete.get()) {
                            violations.add("route http arrived with " + held.size() + " of " + expected.size()
                                    + " domains: missing " + missing(expected, held));
                        }
                    }));
            clients.add(relayed);
            assertThat(relayed.awaitState(s -> s.resource(XdsType.ROUTE, "http") != null
                    && domains(s.resource(XdsType.ROUTE, "http").message()).equals(expected), WAIT))
                    .as("relayed client before the move: %s", relayed.describe()).isTrue();
            assertThat(entry.clients().stream().filter(c -> c.nodeId().equals("envoy-moved")).findFirst()
                    .orElseThrow().relayedTo()).isEqualTo("127.0.0.1:" + leaver.adsPort());

            // A client on node 0 relayed to node 1 for one of node 1's shards, which the leave does not move.
            int keptShard = nodes.get(1).engine().ownedShards().keySet().iterator().next().shard();
            Set<String> keptExpected = hostsOfShard(keptShard);
            XdsClient unaffected = XdsClient.connect(XdsClientOptions.of("127.0.0.1", entry.adsPort(), Mode.DELTA,
                    "envoy-unaffected", "public", keptShard));
            clients.add(unaffected);
            assertThat(unaffected.awaitState(s -> s.resource(XdsType.ROUTE, "http") != null
                    && domains(s.resource(XdsType.ROUTE, "http").message()).equals(keptExpected), WAIT))
                    .as("unaffected client: %s", unaffected.describe()).isTrue();

            nodes.remove(leaver);
            leaver.close();
            Status ended = relayed.terminated().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(ended.getCode()).as("status of the relayed stream: %s", ended).isEqualTo(Status.Code.UNAVAILABLE);
            assertHoldsAll(relayed, expected);

            // Reconnect (again, while the cluster has not yet moved the shard) until a stream stays up and is
            // served by the new owner.
            awaitOwnership(nodes, 3);
            Node newOwner = owners(nodes).get(new ShardId("public", shard));
            String route = newOwner == entry ? null : "127.0.0.1:" + newOwner.adsPort();
            Conditions.awaitDescribed("the moved client relayed to (or served by) the new owner", WAIT, () -> {
                if (relayed.terminated().isDone()) {
                    assertHoldsAll(relayed, expected);
                    relayed.reconnect();
                }
                return entry.clients().stream().anyMatch(c -> c.nodeId().equals("envoy-moved")
                        && java.util.Objects.equals(c.relayedTo(), route));
            }, relayed::describe);
            assertHoldsAll(relayed, expected);

            // The new stream is live: a change to every domain reaches the client through it.
            writeManifests(manifests, "/v2");
            assertThat(relayed.awaitState(s -> s.resource(XdsType.ROUTE, "http") != null
                    && domains(s.resource(XdsType.ROUTE, "http").message()).equals(expected)
                    && s.resource(XdsType.ROUTE, "http").body().toStringUtf8().contains("/v2"), WAIT))
                    .as("moved client after the change: %s", relayed.describe()).isTrue();
            assertThat(relayed.terminated()).isNotDone();
            // A stream whose shard did not move was left alone, and its relay still carries changes.
            assertThat(unaffected.awaitState(s -> s.resource(XdsType.ROUTE, "http") != null
                    && domains(s.resource(XdsType.ROUTE, "http").message()).equals(keptExpected)
                    && s.resource(XdsType.ROUTE, "http").body().toStringUtf8().contains("/v2"), WAIT))
                    .as("unaffected client after the change: %s", unaffected.describe()).isTrue();
            assertThat(unaffected.terminated()).as("the unaffected stream").isNotDone();
            assertThat(violations).as("states with fewer domains than the shard has").isEmpty();
        } finally {
            clients.forEach(XdsClient::close);
            nodes.forEach(Node::close);
        }
    }

    private static void assertHoldsAll(XdsClient client, Set<String> expected) {
        ReceivedResource route = client.resource(XdsType.ROUTE, "http");
        assertThat(route).as("route http held").isNotNull();
        assertThat(domains(route.message())).as("domains held").containsAll(expected);
    }

    private static Set<String> missing(Set<String> expected, Set<String> held) {
        Set<String> out = new TreeSet<>(expected);
        out.removeAll(held);
        return out;
    }
}
