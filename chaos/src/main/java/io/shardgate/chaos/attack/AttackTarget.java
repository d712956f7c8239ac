package io.shardgate.chaos.attack;

import io.shardgate.chaos.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The attacked node: one node process of the built jar at the StatefulSet's heap, serving {@link AttackManifests},
 * and what the suite measures of it from outside: liveness, /readyz, the /debug pages, its log's size and its
 * old-generation heap after a full collection (asked for with {@code jcmd GC.run}, read from /metrics).
 */
final class AttackTarget implements AutoCloseable {
    /** The heap of deploy/k8s's StatefulSet (65 % of its 1 GiB limit). */
    static final String HEAP = "-Xmx665m";
    static final List<String> DEBUG_PAGES = List.of("/debug", "/debug/clients", "/debug/cluster-clients", "/debug/shards");
    private static final Pattern OLD_GEN =
            Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\",id=\"(?:G1 Old Gen|Tenured Gen|PS Old Gen)\"} (\\S+)");

    private final LocalCluster cluster;
    private final LocalCluster.NodeProcess node;
    /** When the suite made the node collect ({@code [start, end]} in System.nanoTime()): its own pauses. */
    private final List<long[]> forcedCollections = new java.util.concurrent.CopyOnWriteArrayList<>();

    private AttackTarget(LocalCluster cluster, LocalCluster.NodeProcess node) {
        this.cluster = cluster;
        this.node = node;
    }

    /** Starts the node and waits until it serves the shard. */
    static AttackTarget start(Path nodeJar, Path dir, AttackManifests manifests, List<String> flags, Duration timeout)
            throws Exception {
        // Plaintext: these attacks test the bounds every client meets once connected, as a tenant holding a stolen
        // gateway certificate would (docs/security.md); the TLS handshake before them is AdsMutualTlsTest's.
        LocalCluster cluster = new LocalCluster(nodeJar, dir, manifests.dir(), "5s").insecure()
                .nodeOptions(List.of(HEAP, "-XX:+ExitOnOutOfMemoryError"), flags);
        LocalCluster.NodeProcess node = cluster.start();
        AttackTarget target = new AttackTarget(cluster, node);
        if (!cluster.awaitBalanced(1, timeout)) {
            target.close();
            throw new IllegalStateException("the node never served its shard:\n" + cluster.describe());
        }
        return target;
    }

    int adsPort() {
        return node.adsPort();
    }

    long pid() {
        return node.pid();
    }

    boolean isAlive() {
        return node.process().isAlive();
    }

    boolean isReady() {
        return cluster.isReady(node);
    }

    /** The body of an admin page, or null unless it answered 200. */
    String admin(String path) {
        return cluster.admin(node, path);
    }

    /** The /debug pages that did not answer 200. */
    List<String> failingDebugPages() {
        List<String> failing = new ArrayList<>();
        for (String page : DEBUG_PAGES) if (admin(page) == null) failing.add(page);
        return failing;
    }

    long logBytes() throws IOException {
        return Files.size(cluster.dir().resolve("logs").resolve(node.name() + ".log"));
    }

    Path log() {
        return cluster.dir().resolve("logs").resolve(node.name() + ".log");
    }

    /** The old generation's use right after a full collection, in bytes. */
    long oldGenAfterGc() throws IOException, InterruptedException {
        long start = System.nanoTime();
        try {
            return collectAndRead();
        } finally {
            forcedCollections.add(new long[] {start, System.nanoTime()});
        }
    }

    /** True if {@code [from, to]} overlaps a collection the suite forced (the node paused for it, not the attack). */
    boolean overlapsForcedCollection(long from, long to) {
        return forcedCollections.stream().anyMatch(gc -> from <= gc[1] && gc[0] <= to);
    }

    private long collectAndRead() throws IOException, InterruptedException {
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(node.pid()), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) throw new IOException("jcmd GC.run failed");
        String metrics = admin("/metrics");
        if (metrics == null) throw new IOException("/metrics did not answer");
        Matcher m = OLD_GEN.matcher(metrics);
        if (!m.find()) throw new IOException("no old-generation pool in /metrics");
        return (long) Double.parseDouble(m.group(1));
    }

    @Override
    public void close() {
        cluster.close();
    }
}
