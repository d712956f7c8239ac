package io.shardgate.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The chaos scenario: local nodes, a gateway of several shards, simulated Envoys on every shard, domains added
 * continuously by atomic rewrites of the manifests, then faults one after the other (kill -9, freeze longer
 * than the failure timeout, SIGTERM); a node that exited is replaced by a new one (REJOIN) before the next fault.
 * Where no node died (REJOIN, TERM, FREEZE from SIGCONT on) the fault's gap, the longest a domain written meanwhile
 * waited for its first Envoy, must stay within {@link #GAP_LIMIT_MILLIS}. After
 * each fault one new domain is written in every shard (a probe); the
 * fault's convergence time is from the signal until the last Envoy received a route holding every domain
 * written up to the probe. At the end domain creation stops and every Envoy must hold exactly its shard's
 * domains. Every received route version is checked by the {@link InvariantChecker}.
 *
 * <p>Run: {@code java -cp ... io.shardgate.chaos.ChaosScenario --nodes=3 --shards=6 --clients-per-shard=2
 * --faults=kill,freeze,term} (see chaos/README.md).
 */
public final class ChaosScenario {
    /** A fault. REJOIN starts a node (a killed or stopped one's replacement, as a StatefulSet would). */
    public enum Fault { KILL, FREEZE, TERM, REJOIN }

    /**
     * Where no node died (a join, a SIGTERM, a frozen node waking), no shard may go unserved longer than this: no
     * domain written meanwhile may wait longer for its first Envoy.
     */
    public static final long GAP_LIMIT_MILLIS = 5_000;
    /** Before the first fault: how long a domain takes to reach its first Envoy when nothing fails, to compare gaps with. */
    static final Duration QUIET_WINDOW = Duration.ofSeconds(5);

    /** Scenario parameters. */
    public record Config(Path nodeJar, Path dir, int nodes, int shards, int clientsPerShard, int initialDomains,
                         int maxDomains, Duration domainInterval, List<Fault> faults, Duration failureTimeout,
                         Duration freeze, Duration waitLimit, boolean insecureAds) {
        public static Config defaults(Path nodeJar, Path dir) {
            return new Config(nodeJar, dir, 3, 6, 2, 12, 0, Duration.ofMillis(200),
                    List.of(Fault.KILL, Fault.FREEZE, Fault.TERM), Duration.ofSeconds(3), Duration.ofSeconds(6),
                    Duration.ofSeconds(60), false);
        }
    }

    /**
     * How one fault went.
     *
     * @param gapMillis the longest a domain written from the fault (for FREEZE: from SIGCONT) until the cluster
     *     settled waited for its first Envoy; -1 where a node died (KILL), which the gap limit does not cover
     * @param slowest the domain that waited that long, and where its time went (null without a gap)
     */
    public record FaultResult(Fault fault, String node, long convergenceMillis, boolean converged, String note,
                              long gapMillis, InvariantChecker.Slowest slowest) {
        FaultResult(Fault fault, String node, long convergenceMillis, boolean converged, String note, long gapMillis) {
            this(fault, node, convergenceMillis, converged, note, gapMillis, null);
        }

        FaultResult withGap(InvariantChecker.Slowest slowest) {
            return new FaultResult(fault, node, convergenceMillis, converged, note, slowest == null ? 0 : slowest.waitedMillis(), slowest);
        }

        boolean gapWithinLimit() {
            return gapMillis <= GAP_LIMIT_MILLIS;
        }

        @Override
        public String toString() {
            return fault + " " + node + ": " + (converged ? "converged in " + convergenceMillis + " ms" : "DID NOT CONVERGE")
                    + (gapMillis < 0 ? "" : ", longest unserved " + gapMillis + " ms" + (gapWithinLimit() ? ""
                            : " (OVER THE " + GAP_LIMIT_MILLIS + " ms LIMIT)"))
                    + (note.isEmpty() ? "" : " (" + note + ")")
                    + (slowest == null ? "" : "; slowest: " + slowest);
        }
    }

    /** The outcome. */
    public record Report(long quietDeliveryMillis, List<FaultResult> faults, List<InvariantChecker.Violation> violations,
                         String checkerSummary, boolean finalConverged, long finalConvergenceMillis, int domains,
                         int reconnects, String finalState) {
        public boolean passed() {
            return violations.isEmpty() && finalConverged && faults.stream().allMatch(FaultResult::converged)
                    && faults.stream().allMatch(FaultResult::gapWithinLimit);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append("=== chaos report ===\n");
            sb.append("no fault: longest delivery ").append(quietDeliveryMillis).append(" ms (domains written in ")
                    .append(QUIET_WINDOW.toSeconds()).append(" s before the first fault; what the gaps compare with)\n");
            faults.forEach(f -> sb.append("fault ").append(f).append('\n'));
            sb.append("final: ").append(finalConverged ? "every client holds exactly its shard's " + domains
                    + " domains (" + finalConvergenceMillis + " ms after the last write)" : "NOT CONVERGED").append('\n');
            sb.append("client reconnects: ").append(reconnects).append('\n');
            sb.append("invariants: ").append(checkerSummary).append('\n');
            violations.stream().limit(20).forEach(v -> sb.append("  ").append(v).append('\n'));
            if (!finalConverged) sb.append(finalState);
            sb.append(passed() ? "RESULT: PASS" : "RESULT: FAIL").append('\n');
            return sb.toString();
        }
    }

    private ChaosScenario() {}

    public static Report run(Config c, java.util.function.Consumer<String> log) throws Exception {
        InvariantChecker checker = new InvariantChecker();
        DomainWriter writer = new DomainWriter(c.dir().resolve("manifests"), LocalCluster.GATEWAY, c.shards(), checker);
        writer.writeInitial();
        writer.addDomains(c.initialDomains());
        IntFunction<Set<String>> all = writer::hostsOfShard;
        ScheduledExecutorService creator = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chaos-domains");
            t.setDaemon(true);
            return t;
        });
        List<FaultResult> results = new ArrayList<>();
        try (LocalCluster cluster = new LocalCluster(c.nodeJar(), c.dir(), c.dir().resolve("manifests"),
                c.failureTimeout().toSeconds() + "s")) {
            if (c.insecureAds()) cluster.insecure(); // plaintext: what TLS costs the figures, by comparison
            for (int i = 0; i < c.nodes(); i++) cluster.start();
            log.accept("started " + c.nodes() + " nodes in " + c.dir());
            if (!cluster.awaitBalanced(c.shards(), Duration.ofSeconds(120))) {
                throw new IllegalStateException("cluster never balanced:\n" + cluster.describe());
            }
            log.accept("cluster balanced:\n" + cluster.describe());
            try (Fleet fleet = new Fleet(cluster, checker, writer.gateway(), c.shards(), c.clientsPerShard())) {
                fleet.start();
                Map<Integer, Set<String>> initial = snapshot(writer);
                if (fleet.awaitHolding(initial::get, c.waitLimit()) < 0) {
                    throw new IllegalStateException("fleet never got the initial domains:\n" + fleet.describe(all));
                }
                log.accept(fleet.envoys().size() + " clients hold the initial " + writer.size() + " domains");
                creator.scheduleAtFixedRate(() -> {
                    try {
                        if (c.maxDomains() <= 0 || writer.size() < c.maxDomains()) writer.addDomains(1);
                    } catch (Exception e) {
                        log.accept("domain write failed: " + e);
                    }
                }, 0, c.domainInterval().toMillis(), TimeUnit.MILLISECONDS);
                long quiet = quietDelivery(c, fleet, writer, checker);
                log.accept("no fault for " + QUIET_WINDOW.toSeconds() + " s: longest delivery " + quiet + " ms");

                for (Fault fault : c.faults()) {
                    int before = writer.size();
                    // Let a few domains be created before each fault (condition, not a sleep).
                    Waits.until(Duration.ofSeconds(30), Duration.ofMillis(20), () -> writer.size() >= before + 3
                            || (c.maxDomains() > 0 && writer.size() >= c.maxDomains()));
                    results.add(settled(c, cluster, fleet, writer, checker, fault(c, cluster, fleet, writer, creator, fault, log), log));
                    // A node that exited is replaced, as a StatefulSet would, so the next fault hits a full cluster.
                    if (cluster.reachable().size() < c.nodes() && fault != Fault.FREEZE && fault != Fault.REJOIN) {
                        results.add(settled(c, cluster, fleet, writer, checker,
                                fault(c, cluster, fleet, writer, creator, Fault.REJOIN, log), log));
                    }
                    log.accept("after " + fault + ":\n" + cluster.describe());
                }
                if (c.maxDomains() > 0) {
                    Waits.until(c.waitLimit(), Duration.ofMillis(50), () -> writer.size() >= c.maxDomains());
                }
                creator.shutdownNow();
                creator.awaitTermination(10, TimeUnit.SECONDS);
                long lastWrite = System.nanoTime();
                Map<Integer, Set<String>> full = snapshot(writer);
                long at = fleet.awaitHolding(full::get, c.waitLimit());
                boolean exact = at >= 0 && Waits.until(Duration.ofSeconds(10), Duration.ofMillis(50),
                        () -> fleet.allExactly(full::get));
                return new Report(quiet, results, checker.violations(), checker.summary(), exact,
                        at < 0 ? -1 : Math.max(0, (at - lastWrite) / 1_000_000), writer.size(), fleet.reconnects(),
                        fleet.describe(full::get) + cluster.describe());
            }
        } finally {
            creator.shutdownNow();
        }
    }

    /**
     * The longest a domain written during {@link #QUIET_WINDOW} with no fault took to reach its first Envoy: the
     * steady state (file rewrite, parse, translation, push) that every fault's gap includes.
     */
    private static long quietDelivery(Config c, Fleet fleet, DomainWriter writer, InvariantChecker checker)
            throws Exception {
        long from = System.nanoTime();
        Thread.sleep(QUIET_WINDOW.toMillis()); // a window to measure, not a wait for something to happen
        long to = System.nanoTime();
        writer.addProbePerShard();
        Map<Integer, Set<String>> probed = snapshot(writer);
        fleet.awaitHolding(probed::get, c.waitLimit());
        return checker.longestDeliveryMillis(from, to, System.nanoTime());
    }

    /** A fault's result, and from when (nanoTime) no node was down: the start of its gap window, or -1. */
    private record Outcome(FaultResult result, AtomicLong gapFrom) {}

    /**
     * Waits for the cluster to settle after a fault (every node ready, every shard held once), then measures the
     * fault's gap: the longest a domain written from its gap window's start until then waited for its first Envoy.
     */
    private static FaultResult settled(Config c, LocalCluster cluster, Fleet fleet, DomainWriter writer,
            InvariantChecker checker, Outcome outcome, java.util.function.Consumer<String> log) throws Exception {
        cluster.awaitBalanced(c.shards(), c.waitLimit());
        long settledAt = System.nanoTime();
        if (outcome.gapFrom().get() < 0) return outcome.result();
        // Every domain written until now delivered (or the wait limit): then the measure is complete.
        writer.addProbePerShard();
        Map<Integer, Set<String>> target = snapshot(writer);
        fleet.awaitHolding(target::get, c.waitLimit());
        FaultResult r = outcome.result().withGap(checker.slowestDelivery(outcome.gapFrom().get(), settledAt, System.nanoTime()));
        log.accept(r.toString());
        return r;
    }

    private static Outcome fault(Config c, LocalCluster cluster, Fleet fleet, DomainWriter writer,
                                 ScheduledExecutorService scheduler, Fault fault,
                                 java.util.function.Consumer<String> log) throws Exception {
        AtomicLong gapFrom = new AtomicLong(-1);
        List<LocalCluster.NodeProcess> live = cluster.reachable();
        if (fault == Fault.REJOIN) {
            long start = System.nanoTime();
            gapFrom.set(start);
            LocalCluster.NodeProcess joined = cluster.start();
            log.accept("REJOIN " + joined.name() + " (pid " + joined.pid() + ")");
            writer.addProbePerShard();
            Map<Integer, Set<String>> target = snapshot(writer);
            long at = fleet.awaitHolding(target::get, c.waitLimit());
            return new Outcome(new FaultResult(fault, joined.name(), at < 0 ? -1 : (at - start) / 1_000_000, at >= 0,
                    "", -1), gapFrom);
        }
        if (live.size() < 2) return new Outcome(new FaultResult(fault, "-", -1, false, "fewer than 2 reachable nodes", -1), gapFrom);
        LocalCluster.NodeProcess victim = live.get(ThreadLocalRandom.current().nextInt(live.size()));
        String note = "";
        Map<String, String> placement = fleet.placement();
        Map<String, Integer> reconnectsBefore = fleet.reconnectsById();
        long startEpochMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        switch (fault) {
            case KILL -> cluster.signal(victim.name(), LocalCluster.Signal.KILL);
            case TERM -> {
                gapFrom.set(start);
                cluster.signal(victim.name(), LocalCluster.Signal.TERM);
            }
            case REJOIN -> throw new IllegalStateException("handled above");
            case FREEZE -> {
                cluster.signal(victim.name(), LocalCluster.Signal.STOP);
                scheduler.schedule(() -> {
                    try {
                        gapFrom.set(System.nanoTime());
                        cluster.signal(victim.name(), LocalCluster.Signal.CONT);
                        log.accept("SIGCONT " + victim.name());
                    } catch (Exception e) {
                        log.accept("SIGCONT failed: " + e);
                    }
                }, c.freeze().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        log.accept(fault + " " + victim.name() + " (pid " + victim.pid() + ")");
        writer.addProbePerShard();
        Map<Integer, Set<String>> target = snapshot(writer);
        long at = fleet.awaitHolding(target::get, c.waitLimit().plus(c.freeze()));
        if (fault == Fault.FREEZE && at >= 0) {
            // Clients connected elsewhere (relayed to the frozen owner included) follow the table once the
            // failure timeout passes; clients connected to the frozen node wait for it (or Envoy's keepalive).
            long others = fleet.lastHolding(target::get, id -> !victim.name().equals(placement.get(id)));
            note = (at - start < c.freeze().toNanos() ? "served by the others during the freeze"
                    : "the frozen node's own clients only after SIGCONT (freeze " + c.freeze().toMillis() + " ms)")
                    + "; clients on other nodes in " + Math.max(0, (others - start) / 1_000_000) + " ms";
        }
        if (fault != Fault.FREEZE && !cluster.awaitExit(victim.name(), Duration.ofSeconds(30))) note = "process still alive";
        if (fault == Fault.KILL && at >= 0) {
            // Detection: a survivor's log line saying the victim left (Hazelcast noticed, and Shardgate's view dropped it).
            long detected = cluster.departureLoggedAt(victim, startEpochMillis);
            long servedMillis = (at - start) / 1_000_000;
            note = detected < 0 ? "departure not logged"
                    : "detected after " + (detected - startEpochMillis) + " ms, served again "
                            + (servedMillis - (detected - startEpochMillis)) + " ms after that";
            log.accept("KILL " + victim.name() + ": the slowest clients\n"
                    + fleet.slowest(target::get, start, 8, placement, reconnectsBefore));
        }
        if (fault == Fault.FREEZE) Waits.until(c.waitLimit(), Duration.ofMillis(20), () -> gapFrom.get() >= 0); // SIGCONT sent
        FaultResult r = new FaultResult(fault, victim.name(), at < 0 ? -1 : (at - start) / 1_000_000, at >= 0, note, -1);
        log.accept(r.toString() + (at < 0 ? "\n" + fleet.describe(target::get) : ""));
        return new Outcome(r, gapFrom);
    }

    private static Map<Integer, Set<String>> snapshot(DomainWriter writer) {
        Map<Integer, Set<String>> m = new HashMap<>();
        for (int s = 0; s < writer.shards(); s++) m.put(s, writer.hostsOfShard(s));
        return m;
    }

    private static boolean trueOrFalse(String flag, String value) {
        if (value.equals("true") || value.equals("false")) return value.equals("true");
        throw new IllegalArgumentException("--" + flag + " must be true or false, not '" + value + "'");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println("""
                        ChaosScenario [--node-jar=node/target/shardgate-node.jar] [--dir=DIR] [--nodes=3] [--shards=6]
                          [--clients-per-shard=2] [--initial-domains=12] [--max-domains=0 (unbounded)]
                          [--domain-interval-ms=200] [--faults=kill,freeze,term] [--failure-timeout-s=3]
                          [--freeze-s=6] [--wait-s=60] [--insecure-ads=false (true: plaintext ADS)]""");
                return;
            }
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) throw new IllegalArgumentException("bad argument " + arg);
            a.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        Path jar = Path.of(a.getOrDefault("node-jar", System.getProperty("node.jar", "node/target/shardgate-node.jar")));
        Path dir = a.containsKey("dir") ? Path.of(a.get("dir")) : Files.createTempDirectory("shardgate-chaos");
        Config d = Config.defaults(jar, dir);
        List<Fault> faults = new ArrayList<>();
        for (String f : a.getOrDefault("faults", "kill,freeze,term").split(",")) {
            if (!f.isBlank()) faults.add(Fault.valueOf(f.trim().toUpperCase(java.util.Locale.ROOT)));
        }
        Config c = new Config(jar, dir, Integer.parseInt(a.getOrDefault("nodes", "" + d.nodes())),
                Integer.parseInt(a.getOrDefault("shards", "" + d.shards())),
                Integer.parseInt(a.getOrDefault("clients-per-shard", "" + d.clientsPerShard())),
                Integer.parseInt(a.getOrDefault("initial-domains", "" + d.initialDomains())),
                Integer.parseInt(a.getOrDefault("max-domains", "" + d.maxDomains())),
                Duration.ofMillis(Long.parseLong(a.getOrDefault("domain-interval-ms", "200"))), faults,
                Duration.ofSeconds(Long.parseLong(a.getOrDefault("failure-timeout-s", "3"))),
                Duration.ofSeconds(Long.parseLong(a.getOrDefault("freeze-s", "6"))),
                Duration.ofSeconds(Long.parseLong(a.getOrDefault("wait-s", "60"))),
                trueOrFalse("insecure-ads", a.getOrDefault("insecure-ads", "false")));
        long t0 = System.nanoTime();
        Report report = run(c, msg -> System.out.printf("[%6.1fs] %s%n", (System.nanoTime() - t0) / 1e9, msg));
        System.out.print(report);
        System.exit(report.passed() ? 0 : 1);
    }
}
