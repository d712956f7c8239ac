package io.shardgate.chaos.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import io.shardgate.chaos.DomainWriter;
import io.shardgate.chaos.Fleet;
import io.shardgate.chaos.InvariantChecker;
import io.shardgate.chaos.LocalCluster;
import io.shardgate.chaos.Waits;
import io.shardgate.cluster.ClusterKey;
import io.shardgate.cluster.CountingListener;
import io.shardgate.cluster.Gadget;
import io.shardgate.cluster.RogueMember;
import io.shardgate.cluster.StoredTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13's cluster-channel attacks against real node processes serving a fleet of Delta clients: a rogue
 * Hazelcast member without the cluster key (advertising an ADS address of its own), a Hazelcast client, the
 * shard table overwritten in a loop (garbage, every shard to a member that does not exist, a serialised object,
 * deleted), serialised objects in every other cluster map, and an old signed table written back. A probe domain
 * per shard, written after each attack, must reach every client; no client may ever receive a version that lacks
 * a domain it was already served or carries one the honest cluster did not produce; every node stays up and
 * ready, its log small, its /debug pages answering.
 */
class ClusterChannelAttackIT {
    private static final int SHARDS = 4;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration FLOOD = Duration.ofSeconds(5);
    private static final long LOG_LIMIT_BYTES = 10L * 1024 * 1024;
    private static final String NOBODY = "00000000-0000-0000-0000-000000000000";
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    @Timeout(value = 300)
    void aRogueOnTheMemberPortChangesNothingTheFleetIsServed() throws Exception {
        Path base = Path.of(System.getProperty("chaos.dir", "target/chaos-it"));
        Files.createDirectories(base);
        Path dir = Files.createTempDirectory(base, "cluster-attack-");
        InvariantChecker checker = new InvariantChecker();
        DomainWriter writer = new DomainWriter(dir.resolve("manifests"), LocalCluster.GATEWAY, SHARDS, checker);
        writer.writeInitial();
        writer.addDomains(8);
        List<String> report = new ArrayList<>();
        try (LocalCluster cluster = new LocalCluster(Path.of(System.getProperty("node.jar", "../node/target/shardgate-node.jar")),
                dir, dir.resolve("manifests"), "3s");
             CountingListener fakeAds = new CountingListener()) {
            cluster.start();
            cluster.start();
            assertThat(cluster.awaitBalanced(SHARDS, Duration.ofSeconds(120))).as(cluster.describe()).isTrue();
            // The nodes were started without --cluster-key-file: they share the key in their --state-dir.
            ClusterKey key = ClusterKey.fromText(Files.readString(cluster.stateDir().resolve("cluster.key")));
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            AtomicLong samples = new AtomicLong();
            AtomicLong notReady = new AtomicLong();
            List<String> notReadyAnswers = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (Fleet fleet = new Fleet(cluster, checker, writer.gateway(), SHARDS, 2)) {
                fleet.start();
                assertThat(fleet.awaitHolding(writer::hostsOfShard, WAIT)).as(fleet.describe(writer::hostsOfShard))
                        .isPositive();
                sampler.scheduleWithFixedDelay(() -> cluster.nodes().forEach(n -> {
                    samples.incrementAndGet();
                    String answer = readyz(n);
                    if (!answer.equals("200")) {
                        // No answer within 5 s (a loaded machine) is reported; an answer other than 200 fails the test.
                        if (Character.isDigit(answer.charAt(0))) notReady.incrementAndGet();
                        notReadyAnswers.add(n.name() + ": " + answer);
                    }
                }), 0, 100, TimeUnit.MILLISECONDS);
                List<Long> probeMillis = new ArrayList<>();

                HazelcastInstance rogue = RogueMember.join(cluster.clusterName(), "127.0.0.1",
                        Map.of("shardgate.ads-address", fakeAds.address()));
                try {
                    String firstSigned = StoredTable.text(rogue);
                    probeMillis.add(probe(writer, fleet));

                    assertThatThrownBy(() -> HazelcastClient.newHazelcastClient(clientOf(rogue, cluster.clusterName())).shutdown())
                            .hasMessageContaining("Unable to connect");

                    long sequenceBefore = StoredTable.sequence(rogue, key);
                    AtomicBoolean flooding = new AtomicBoolean(true);
                    AtomicLong floodWrites = new AtomicLong();
                    Thread flood = new Thread(() -> {
                        Object[] values = {"this is not a table", everyShardTo(NOBODY), new Gadget("table"), null};
                        while (flooding.get()) {
                            Object value = values[(int) (floodWrites.getAndIncrement() % values.length)];
                            if (value == null) rogue.getMap("shardgate.shard-table").delete("table");
                            else StoredTable.overwrite(rogue, value);
                        }
                    }, "rogue-flood");
                    flood.start();
                    long floodEnd = System.nanoTime() + FLOOD.toNanos();
                    while (System.nanoTime() < floodEnd) probeMillis.add(probe(writer, fleet));
                    flooding.set(false);
                    flood.join();
                    assertThat(awaitSequenceAbove(rogue, key, sequenceBefore)).as("the table rewritten after the flood").isTrue();
                    long sequenceAfterFlood = StoredTable.sequence(rogue, key);
                    report.add("flood: " + floodWrites.get() + " rogue writes in " + FLOOD.toSeconds() + " s; the writer"
                            + " rewrote the table " + (sequenceAfterFlood - sequenceBefore) + " times");

                    rogue.getMap("shardgate.members").set(rogue.getCluster().getLocalMember().getUuid().toString(),
                            new Gadget("proof"));
                    rogue.getMap("shardgate.draining").set(new Gadget("draining"), "draining");
                    rogue.getMap("shardgate.clients").set("envoy@rogue", new Gadget("client"));
                    probeMillis.add(probe(writer, fleet));

                    StoredTable.overwrite(rogue, firstSigned);
                    assertThat(awaitSequenceAbove(rogue, key, sequenceAfterFlood)).as("an old table written back, rewritten")
                            .isTrue();
                    probeMillis.add(probe(writer, fleet));
                } finally {
                    rogue.shutdown();
                }
                sampler.shutdownNow();

                report.add("probes (domain written → every client holds it), ms: " + probeMillis);
                report.add("readiness samples: " + samples.get() + ", answered other than 200: " + notReady.get()
                        + ", all but 200: " + notReadyAnswers);
                report.add("invariants: " + checker.summary());
                for (LocalCluster.NodeProcess n : cluster.nodes()) {
                    long logBytes = Files.size(dir.resolve("logs").resolve(n.name() + ".log"));
                    report.add(n.name() + ": alive=" + n.process().isAlive() + ", log " + logBytes + " bytes, rejected tables "
                            + rejectedTables(cluster, n));
                    assertThat(n.process().isAlive()).as(n.name()).isTrue();
                    assertThat(logBytes).as("%s log", n.name()).isLessThan(LOG_LIMIT_BYTES);
                    assertThat(cluster.admin(n, "/debug")).as("%s /debug", n.name()).isNotNull();
                    assertThat(cluster.admin(n, "/debug/shards")).as("%s /debug/shards", n.name()).isNotNull();
                    assertThat(cluster.admin(n, "/debug/cluster-clients")).as("%s /debug/cluster-clients", n.name())
                            .isNotNull();
                }
                System.out.println("=== cluster channel attack ===\n" + String.join("\n", report));
                assertThat(checker.violations()).as(String.join("\n", report)).isEmpty();
                assertThat(notReady.get()).as("readiness answers other than 200: %s", notReadyAnswers).isZero();
                assertThat(fakeAds.accepted()).as("connections to the rogue's ADS address").isZero();
                assertThat(fleet.allExactly(writer::hostsOfShard)).as(fleet.describe(writer::hostsOfShard)).isTrue();
            } finally {
                sampler.shutdownNow();
            }
        }
    }

    /** Writes a new domain in every shard; the milliseconds until every client holds it. */
    private static long probe(DomainWriter writer, Fleet fleet) throws Exception {
        long start = System.nanoTime();
        writer.addProbePerShard();
        long at = fleet.awaitHolding(writer::hostsOfShard, WAIT);
        assertThat(at).as("a probe reached every client: %s", fleet.describe(writer::hostsOfShard)).isPositive();
        return Math.max(0, (at - start) / 1_000_000);
    }

    private static boolean awaitSequenceAbove(HazelcastInstance rogue, ClusterKey key, long sequence) throws Exception {
        return Waits.until(WAIT, Duration.ofMillis(20), () -> StoredTable.sequence(rogue, key) > sequence);
    }

    private static String everyShardTo(String owner) {
        StringBuilder text = new StringBuilder();
        for (int shard = 0; shard < SHARDS; shard++) text.append(LocalCluster.GATEWAY + "/").append(shard).append('=').append(owner).append('\n');
        return text.toString();
    }

    /** A Hazelcast client aimed at the honest members' member ports. */
    private static ClientConfig clientOf(HazelcastInstance rogue, String clusterName) {
        ClientConfig client = new ClientConfig();
        client.setClusterName(clusterName);
        client.setProperty("hazelcast.logging.type", "none");
        for (Member m : rogue.getCluster().getMembers()) {
            if (!m.localMember()) client.getNetworkConfig().addAddress(m.getAddress().getHost() + ":" + m.getAddress().getPort());
        }
        client.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(3000);
        return client;
    }

    /** "200", or the status and body of another answer, or why there was none. */
    private static String readyz(LocalCluster.NodeProcess n) {
        try {
            java.net.http.HttpResponse<String> r = HTTP.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + n.adminPort() + "/readyz")).timeout(Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? "200" : r.statusCode() + " " + r.body().strip();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static String rejectedTables(LocalCluster cluster, LocalCluster.NodeProcess n) {
        String metrics = cluster.admin(n, "/metrics");
        if (metrics == null) return "(no /metrics)";
        return metrics.lines().filter(l -> l.startsWith("shardgate_shard_table_rejected_total{"))
                .map(l -> l.replaceAll(".*reason=\"([a-z_]+)\".* ([0-9.E]+)$", "$1=$2")).toList().toString();
    }
}
