package io.shardgate.bench.scenario;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.shardgate.bench.Args;
import io.shardgate.bench.fleet.Fleet;
import io.shardgate.bench.fleet.HeldDigest;
import io.shardgate.bench.measure.Waits;
import io.shardgate.bench.report.Charts;
import io.shardgate.bench.source.KubeObjects;
import io.shardgate.bench.target.ServedBytes;
import io.shardgate.bench.workload.Workload;
import io.shardgate.bench.workload.WorkloadSpec;
import io.shardgate.node.Node;
import io.shardgate.node.config.NodeConfigParser;
import io.shardgate.sharding.ShardId;
import io.shardgate.node.store.ShardStore;
import io.shardgate.translator.input.IngressInput;
import io.shardgate.translator.input.InputObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;

/**
 * Several real nodes (each a whole {@link Node}: Hazelcast member, engine, ADS server, relay), in this JVM, reading
 * the workload from one manifest directory (the file source), with a fleet connected round-robin to them (so most
 * streams are relayed to their shard's owner). After the cluster is balanced and the fleet served, every domain is
 * changed at once; each node's share is the domains it translated for that and the bytes it pushed to clients.
 */
public final class ClusterFigures {

    public record Options(int domains, List<Integer> nodes, int shards, int clients, double tlsShare, Duration timeout) {
        public static Options from(Args args) {
            Options o = new Options(args.integer("domains", 20_000), args.integers("nodes", "1,3,5"), args.integer("shards", 15),
                    args.integer("clients", 30), args.decimal("tls-share", 0.5), args.duration("timeout", "300s"));
            args.checkAllRead();
            return o;
        }
    }

    /** One node of a cluster of {@code nodes}. */
    public record NodeShare(int node, int ownedShards, int ownedDomains, long domainsTranslated, double translationShare,
            int clientsServed, int clientsRelayed, long bytesPushed, double servingShare) {}

    /** @param maxShareOverFair the largest share times N (1.0 is perfectly even; the target is at most 1.2) */
    public record Cluster(int nodes, int shards, int domains, int clients, List<NodeShare> perNode, double maxTranslationOverFair,
            double maxServingOverFair, double coldStartMs) {}

    public record Figures(String source, List<Cluster> clusters, Map<String, String> targets, String failover) {}

    private ClusterFigures() {}

    public static Figures run(Options options, Path chart) throws Exception {
        List<Cluster> clusters = new ArrayList<>();
        for (int n : options.nodes()) clusters.add(cluster(options, n));
        Map<String, String> targets = new LinkedHashMap<>();
        for (Cluster c : clusters) {
            double worst = Math.max(c.maxTranslationOverFair(), c.maxServingOverFair());
            targets.put("per-node share within 1.2x of 1/N with " + c.nodes() + " nodes",
                    ActivationFigures.verdict(worst <= 1.2, String.format("translation %.2fx, serving %.2fx",
                            c.maxTranslationOverFair(), c.maxServingOverFair())));
        }
        draw(chart, clusters);
        return new Figures("file (one manifest directory read by every node)", clusters, targets,
                "not re-measured here: see the failover section of docs/benchmarks.md (chaos/ ChaosScenario)");
    }

    private static Cluster cluster(Options options, int count) throws Exception {
        WorkloadSpec spec = WorkloadSpec.of(options.domains(), options.shards()).withTlsShare(options.tlsShare());
        Workload workload = new Workload(spec);
        Path dir = Files.createTempDirectory("bench-cluster-");
        List<InputObject> initial = workload.initialObjects();
        writeManifests(dir, initial, "/");
        String clusterName = "bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        List<Node> nodes = new ArrayList<>();
        Fleet fleet = null;
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                nodes.add(Node.start(NodeConfigParser.parse(new String[] {"--source=file", "--manifests=" + dir,
                        "--listen-address=127.0.0.1", "--ads-port=0", "--admin-port=0", "--member-port=0", "--join=tcp",
                        "--members=127.0.0.1", "--cluster-name=" + clusterName, "--failure-timeout=5s", "--insecure-ads"}, Map.of())));
            }
            Waits.until("the cluster balanced and ready", options.timeout(), () -> balanced(nodes, options.shards()));
            double cold = (System.nanoTime() - t0) / 1e6;
            List<Integer> ports = nodes.stream().map(Node::adsPort).toList();
            fleet = Fleet.connect("127.0.0.1", ports, spec.gateway(), options.shards(), options.clients(), 0.5, false, null, false,
                    (seat, r) -> {});
            awaitServed(fleet, nodes, spec.gateway(), options.shards(), options.timeout());

            long[] translated0 = nodes.stream().mapToLong(n -> n.engine().domainsTranslated()).toArray();
            long[] bytes0 = nodes.stream().mapToLong(ClusterFigures::bytesPushed).toArray();
            writeManifests(dir, initial, "/bulk");
            Waits.until("every domain translated again", options.timeout(), () -> {
                long sum = 0;
                for (int i = 0; i < nodes.size(); i++) sum += nodes.get(i).engine().domainsTranslated() - translated0[i];
                return sum >= spec.domains();
            });
            awaitServed(fleet, nodes, spec.gateway(), options.shards(), options.timeout());

            List<NodeShare> shares = new ArrayList<>();
            long totalTranslated = 0;
            long totalBytes = 0;
            for (int i = 0; i < nodes.size(); i++) {
                totalTranslated += nodes.get(i).engine().domainsTranslated() - translated0[i];
                totalBytes += bytesPushed(nodes.get(i)) - bytes0[i];
            }
            for (int i = 0; i < nodes.size(); i++) {
                Node node = nodes.get(i);
                long tr = node.engine().domainsTranslated() - translated0[i];
                long by = bytesPushed(node) - bytes0[i];
                var clients = node.clients();
                shares.add(new NodeShare(i + 1, node.engine().ownedShards().size(),
                        node.engine().ownedShards().values().stream().mapToInt(Integer::intValue).sum(), tr,
                        (double) tr / totalTranslated, (int) clients.stream().filter(c -> c.relayedTo() == null).count(),
                        (int) clients.stream().filter(c -> c.relayedTo() != null).count(), by, (double) by / totalBytes));
            }
            double maxTr = shares.stream().mapToDouble(NodeShare::translationShare).max().orElse(0) * count;
            double maxBy = shares.stream().mapToDouble(NodeShare::servingShare).max().orElse(0) * count;
            ActivationScenario.log("cluster of %d: translation share max %.2fx of 1/N, serving %.2fx", count, maxTr, maxBy);
            return new Cluster(count, options.shards(), spec.domains(), options.clients(), shares, maxTr, maxBy, cold);
        } finally {
            if (fleet != null) fleet.close();
            nodes.parallelStream().forEach(Node::close);
            deleteTree(dir);
        }
    }

    private static boolean balanced(List<Node> nodes, int shards) {
        int owned = 0;
        for (Node n : nodes) {
            if (!n.engine().isReady() || n.engine().ownedShards().isEmpty()) return false;
            owned += n.engine().ownedShards().size();
        }
        return owned == shards;
    }

    /**
     * Waits until every client holds what its shard's owner serves. What the owners serve may still move (a file source
     * still reading): a wait that ends unserved starts again only if the owners' content moved meanwhile.
     */
    private static void awaitServed(Fleet fleet, List<Node> nodes, String gateway, int shards, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<ShardId, HeldDigest> truth = served(nodes, gateway, shards, timeout);
            try {
                fleet.awaitServed(truth, Duration.ofNanos(Math.min(TimeUnit.SECONDS.toNanos(10), Math.max(1, deadline - System.nanoTime()))));
                return;
            } catch (IllegalStateException notServed) {
                if (System.nanoTime() > deadline || served(nodes, gateway, shards, timeout).equals(truth)) throw notServed;
            }
        }
    }

    /** What each shard's owner serves, once every node has applied every input it received. */
    private static Map<ShardId, HeldDigest> served(List<Node> nodes, String gateway, int shards, Duration timeout) throws Exception {
        for (Node n : nodes) n.engine().whenApplied(n.engine().received()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<ShardId, HeldDigest> out = new HashMap<>();
        for (int i = 0; i < shards; i++) {
            ShardId shard = new ShardId(gateway, i);
            out.put(shard, HeldDigest.of(ownerStore(nodes, shard), ServedBytes.asStored()));
        }
        return out;
    }

    private static ShardStore ownerStore(List<Node> nodes, ShardId shard) {
        for (Node n : nodes) {
            if (n.engine().ownedShards().containsKey(shard)) return n.directory().store(shard);
        }
        throw new IllegalStateException("no owner of " + shard);
    }

    /** Bytes of all responses the node wrote to its own clients (its shardgate_ads_push_size_bytes_sum). */
    private static long bytesPushed(Node node) {
        double sum = 0;
        for (String line : node.metricsText().split("\n")) {
            if (line.startsWith("shardgate_ads_push_size_bytes_sum")) sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return (long) sum;
    }

    /** The workload as YAML List files of 2,000 objects; Ingresses with {@code path} (rewritten in place to change them all). */
    private static void writeManifests(Path dir, List<InputObject> objects, String path) throws IOException {
        List<HasMetadata> batch = new ArrayList<>();
        int file = 0;
        for (InputObject o : objects) {
            InputObject item = o;
            if (o instanceof IngressInput i) {
                IngressInput.Rule r = i.rules().get(0);
                IngressInput.Path p = r.paths().get(0);
                item = new IngressInput(i.namespace(), i.name(), i.creationTimestamp(), i.ingressClassName(), i.annotations(),
                        i.defaultBackend(), List.of(new IngressInput.Rule(r.host(), List.of(new IngressInput.Path(path, p.pathType(), p.backend())))),
                        i.tls());
            }
            batch.add(KubeObjects.of(item));
            if (batch.size() == 2000) write(dir, file++, batch);
        }
        if (!batch.isEmpty()) write(dir, file, batch);
    }

    private static void write(Path dir, int index, List<HasMetadata> batch) throws IOException {
        Path tmp = dir.resolve(".part-" + index + ".tmp");
        Files.writeString(tmp, Serialization.asYaml(new KubernetesListBuilder().withItems(batch).build()));
        Files.move(tmp, dir.resolve("part-" + index + ".yaml"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        batch.clear();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
        }
        Files.deleteIfExists(dir);
    }

    private static void draw(Path chart, List<Cluster> clusters) throws Exception {
        int maxNodes = clusters.stream().mapToInt(Cluster::nodes).max().orElse(1);
        List<String> categories = clusters.stream().map(c -> c.nodes() + " node" + (c.nodes() > 1 ? "s" : "")).toList();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (int i = 0; i < maxNodes; i++) {
            int node = i;
            series.put("node " + (i + 1) + " translation", clusters.stream().map(c -> node < c.perNode().size()
                    ? c.perNode().get(node).translationShare() * 100 : 0.0).toList());
        }
        series.put("fair share 1/N", clusters.stream().map(c -> 100.0 / c.nodes()).toList());
        Charts.bars(chart, "Per-node share of translation work (changing every domain)", "cluster", "share of domains translated (%)",
                categories, series, false);
    }
}
