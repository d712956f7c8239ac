package io.shardgate.node.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.shardgate.node.Node;
import io.shardgate.node.config.NodeConfigParser;
import io.shardgate.node.store.ShardKey;
import io.shardgate.node.testing.Conditions;
import io.shardgate.sharding.DomainSharding;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsClientOptions;
import io.shardgate.xdsclient.XdsType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes form one Hazelcast cluster on loopback and share a gateway of 6 shards: each owns and
 * translates only its own (2 each, none twice), an Envoy connected to a shard's owner gets exactly that
 * shard's domains, and when a node leaves only its shards move.
 */
class ClusterFeatureTest {
    private static final int SHARDS = 6;
    private static final int DOMAINS = 60;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path manifests;

    @Test
    void nodesShareTheShardsTranslateOnlyTheirOwnAndALeaveMovesOnlyTheLeaversShards() throws Exception {
        writeManifests("/");
        String cluster = "cluster-" + System.nanoTime();
        List<Node> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) nodes.add(startNode(cluster));
            awaitOwnership(nodes, 2);

            // Every shard owned by exactly one node, every domain translated and held by exactly one node.
            Map<ShardKey, Node> owners = owners(nodes);
            assertThat(owners).hasSize(SHARDS);
            assertThat(nodes.stream().mapToInt(n -> n.engine().ownedShards().values().stream().mapToInt(x -> x).sum()).sum())
                    .isEqualTo(DOMAINS);

            // A change to every domain costs each node exactly its own domains.
            Map<Node, Long> before = new HashMap<>();
            nodes.forEach(n -> before.put(n, n.engine().domainsTranslated()));
            writeManifests("/v2");
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
            for (Map.Entry<ShardKey, Node> owner : owners.entrySet()) {
                try (XdsClient envoy = XdsClient.connect(XdsClientOptions.of("127.0.0.1", owner.getValue().adsPort(),
                        Mode.DELTA, "envoy-" + owner.getKey().shard(), "public", owner.getKey().shard()))) {
                    Set<String> expected = hostsOfShard(owner.getKey().shard());
                    boolean got = envoy.awaitState(s -> s.resource(XdsType.ROUTE, "http") != null
                            && virtualHostDomains(s.resource(XdsType.ROUTE, "http").message()).equals(expected), WAIT);
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

            // A node leaves: the two others take its shards; nothing else moves.
            Node leaver = nodes.remove(2);
            Set<ShardKey> leaverShards = leaver.engine().ownedShards().keySet();
            Map<Node, Set<ShardKey>> kept = new HashMap<>();
            nodes.forEach(n -> kept.put(n, new HashSet<>(n.engine().ownedShards().keySet())));
            leaver.close();
            awaitOwnership(nodes, 3);
            for (Node n : nodes) {
                Set<ShardKey> now = n.engine().ownedShards().keySet();
                assertThat(now).containsAll(kept.get(n));
                Set<ShardKey> gained = new TreeSet<>(now);
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

    private Node startNode(String cluster) throws Exception {
        return Node.start(NodeConfigParser.parse(new String[] {"--manifests=" + manifests, "--listen-address=127.0.0.1",
                "--ads-port=0", "--admin-port=0", "--member-port=0", "--join=tcp", "--members=127.0.0.1",
                "--cluster-name=" + cluster, "--failure-timeout=3s"}, Map.of()));
    }

    /** Waits until every node is ready and owns {@code each} shards, all distinct and all placed. */
    private static void awaitOwnership(List<Node> nodes, int each) {
        Conditions.awaitDescribed(nodes.size() + " nodes owning " + each + " shards each", WAIT, () ->
                nodes.stream().allMatch(n -> n.engine().isReady() && n.engine().ownedShards().size() == each
                        && n.engine().ownedShards().keySet().stream().allMatch(k -> n.directory().store(k).isReady()))
                        && owners(nodes).size() == SHARDS,
                () -> nodes.stream().map(n -> n.engine().ownedShards().toString()).toList().toString());
    }

    private static Map<ShardKey, Node> owners(List<Node> nodes) {
        Map<ShardKey, Node> owners = new HashMap<>();
        for (Node n : nodes) {
            for (ShardKey k : n.engine().ownedShards().keySet()) {
                Node previous = owners.put(k, n);
                assertThat(previous).as("shard %s owned twice", k).isNull();
            }
        }
        return owners;
    }

    private static void awaitAllRoutesContain(List<Node> nodes, String path) {
        Conditions.await("every owned shard's routes updated", WAIT, () -> nodes.stream().allMatch(n ->
                n.engine().ownedShards().keySet().stream().allMatch(k -> {
                    var routes = n.directory().store(k).get(io.shardgate.translator.resource.ResourceType.ROUTE, "http");
                    return routes != null && routes.body().toStringUtf8().contains(path);
                })));
    }

    private static Set<String> virtualHostDomains(RouteConfiguration routes) {
        return routes.getVirtualHostsList().stream().map(VirtualHost::getDomainsList).flatMap(List::stream)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> hostsOfShard(int shard) {
        return IntStream.range(0, DOMAINS).mapToObj(ClusterFeatureTest::host)
                .filter(h -> DomainSharding.shardOf(h, SHARDS) == shard).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String host(int i) {
        return "site-" + i + ".example.com";
    }

    private void writeManifests(String path) throws Exception {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: networking.k8s.io/v1
                kind: IngressClass
                metadata:
                  name: public
                  annotations: {shardgate.io/shards: "%d"}
                spec: {controller: shardgate.io/controller}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop}
                spec: {ports: [{name: http, port: 80}]}
                """.formatted(SHARDS));
        for (int i = 0; i < DOMAINS; i++) {
            yaml.append("""
                    ---
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    metadata: {name: site-%d, namespace: shop}
                    spec:
                      ingressClassName: public
                      rules:
                      - host: %s
                        http:
                          paths:
                          - {path: "%s", pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
                    """.formatted(i, host(i), path));
        }
        Path tmp = manifests.resolve(".sites.tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, manifests.resolve("sites.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
