package io.shardgate.node.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.shardgate.node.Node;
import io.shardgate.node.config.NodeConfigParser;
import io.shardgate.sharding.ShardId;
import io.shardgate.node.testing.Conditions;
import io.shardgate.sharding.DomainSharding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The multi-node tests' world: a gateway "public" of {@value #SHARDS} shards with {@value #DOMAINS} one-host
 * Ingresses in a manifest directory, and nodes on loopback that join each other and serve it.
 */
final class SiteCluster {
    static final int SHARDS = 6;
    static final int DOMAINS = 60;
    static final Duration WAIT = Duration.ofSeconds(60);

    private SiteCluster() {}

    static Node startNode(Path manifests, String cluster, String... extraFlags) throws Exception {
        List<String> flags = new java.util.ArrayList<>(List.of("--manifests=" + manifests, "--listen-address=127.0.0.1",
                "--ads-port=0", "--admin-port=0", "--member-port=0", "--join=tcp", "--members=127.0.0.1",
                "--cluster-name=" + cluster, "--failure-timeout=3s"));
        flags.addAll(List.of(extraFlags));
        if (flags.stream().noneMatch(f -> f.startsWith("--tls-"))) flags.add("--insecure-ads");
        return Node.start(NodeConfigParser.parse(flags.toArray(String[]::new), Map.of()));
    }

    /** Waits until every node is ready and owns {@code each} shards, all distinct and all placed. */
    static void awaitOwnership(List<Node> nodes, int each) {
        awaitOwning(nodes, each, each, nodes.size() + " nodes owning " + each + " shards each");
    }

    /** Waits until every node is ready and owns floor or ceil of SHARDS / nodes shards, all distinct and all placed. */
    static void awaitBalanced(List<Node> nodes) {
        awaitOwning(nodes, SHARDS / nodes.size(), (SHARDS + nodes.size() - 1) / nodes.size(),
                nodes.size() + " nodes sharing " + SHARDS + " shards");
    }

    private static void awaitOwning(List<Node> nodes, int least, int most, String what) {
        Conditions.awaitDescribed(what, WAIT, () ->
                nodes.stream().allMatch(n -> n.engine().isReady() && n.engine().ownedShards().size() >= least
                        && n.engine().ownedShards().size() <= most
                        && n.engine().ownedShards().keySet().stream().allMatch(k -> n.directory().store(k).isReady()))
                        && eachHeldOnce(nodes),
                () -> nodes.stream().map(n -> n.engine().ownedShards().toString()).toList().toString());
    }

    /**
     * Every shard held (translated) by exactly one node: no move under way. While a shard moves, its old owner
     * serves it and the new one translates it, so for a moment two nodes hold it (make-before-break).
     */
    static boolean eachHeldOnce(List<Node> nodes) {
        Map<ShardId, Integer> holders = new HashMap<>();
        nodes.forEach(n -> n.engine().ownedShards().keySet().forEach(k -> holders.merge(k, 1, Integer::sum)));
        return holders.size() == SHARDS && holders.values().stream().allMatch(c -> c == 1);
    }

    /** Shard → the node that owns it, once no move is under way; fails if two nodes hold one. */
    static Map<ShardId, Node> owners(List<Node> nodes) {
        Map<ShardId, Node> owners = new HashMap<>();
        for (Node n : nodes) {
            for (ShardId k : n.engine().ownedShards().keySet()) {
                Node previous = owners.put(k, n);
                assertThat(previous).as("shard %s owned twice", k).isNull();
            }
        }
        return owners;
    }

    /** The domains of a route configuration's virtual hosts. */
    static Set<String> domains(RouteConfiguration routes) {
        return routes.getVirtualHostsList().stream().map(VirtualHost::getDomainsList).flatMap(List::stream)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> hostsOfShard(int shard) {
        return IntStream.range(0, DOMAINS).mapToObj(SiteCluster::host)
                .filter(h -> DomainSharding.shardOf(h, SHARDS) == shard).collect(Collectors.toCollection(TreeSet::new));
    }

    static String host(int i) {
        return "site-" + i + ".example.com";
    }

    /** (Re)writes every manifest at once, each Ingress routing {@code path} (the file source sees one change). */
    static void writeManifests(Path dir, String path) throws Exception {
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
        Path tmp = dir.resolve(".sites.tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, dir.resolve("sites.yaml"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
