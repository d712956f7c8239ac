package io.shardgate.chaos.attack;

import io.shardgate.chaos.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The client half of the attack suite: one real node process at the StatefulSet's heap serving {@code domains}
 * TLS domains, a well-behaved client connected throughout, and the attacks one after another. Around each attack
 * the suite checks that the node stayed up and ready, that the well-behaved client's probes kept arriving (p99
 * under a second), that the old generation came back to its level before the attack (after a full collection),
 * that the log grew by less than 10 MB and that every /debug page answers; at the end, that the well-behaved
 * client holds nothing the node does not serve it.
 *
 * <pre>
 * java -cp chaos/target/classes:$(cat chaos/target/cp.txt) io.shardgate.chaos.attack.ClientAttacks \
 *     --node-jar=node/target/shardgate-node.jar --examples=examples --dir=/tmp/attacks --scale=heavy
 * </pre>
 */
public final class ClientAttacks {
    static final long MAX_LOG_GROWTH = 10_000_000;
    static final long MAX_P99_MILLIS = 1_000;
    /** How far above its level before an attack the old generation may stay after it (noise of a live node). */
    static final long OLD_GEN_SLACK = 16_000_000;

    /** Sizes of one run. */
    public record Scale(int domains, int nameLists, int nameListMegabytes, int floodConnections, int floodStreams,
            Duration floodSettle, int slowConsumers, int nackStreams, Duration nackDuration) {
        public static final Scale LIGHT = new Scale(300, 1, 12, 2, 150, Duration.ofSeconds(5), 20, 20, Duration.ofSeconds(3));
        public static final Scale HEAVY =
                new Scale(3_000, 3, 60, 40, 2_000, Duration.ofSeconds(60), 300, 20, Duration.ofSeconds(25));
    }

    /** What one attack did and how the node came out of it. */
    public record Result(String attack, ClientAttack.Outcome outcome, boolean alive, boolean ready,
            List<String> failingDebugPages, long probeP99Millis, int probes, List<String> missedProbes,
            long oldGenBefore, long oldGenAfter, long logGrowth, long seconds, String loadAverage) {
        public boolean held() {
            return outcome.held() && alive && ready && failingDebugPages.isEmpty() && missedProbes.isEmpty()
                    && probeP99Millis >= 0 && probeP99Millis < MAX_P99_MILLIS
                    && oldGenAfter <= oldGenBefore + OLD_GEN_SLACK && logGrowth < MAX_LOG_GROWTH;
        }

        String row() {
            return "| " + attack + " | " + (held() ? "held" : "**FAILED**") + " | " + outcome.figures() + " | "
                    + (alive ? "up" : "DOWN") + ", /readyz " + (ready ? "200" : "not 200") + ", /debug "
                    + (failingDebugPages.isEmpty() ? "200" : "failing " + failingDebugPages) + " | " + probeP99Millis
                    + " ms (" + probes + " probes" + (missedProbes.isEmpty() ? "" : ", missed " + missedProbes.size()) + ") | "
                    + SlowConsumers.mb(oldGenBefore) + " → " + SlowConsumers.mb(oldGenAfter) + " MB | "
                    + SlowConsumers.mb(logGrowth) + " MB | " + seconds + " s, load " + loadAverage + " |";
        }
    }

    /** The whole run. */
    public record Report(Scale scale, List<Result> results, List<String> foreignResources, boolean honestConnected) {
        public boolean passed() {
            return results.stream().allMatch(Result::held) && foreignResources.isEmpty() && honestConnected;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append("| attack | result | what happened | node after | well-behaved client p99 | old gen after GC, before → after | log growth | duration, machine load (1 min) |\n");
            sb.append("|---|---|---|---|---|---|---|---|\n");
            results.forEach(r -> sb.append(r.row()).append('\n'));
            sb.append("\nwell-behaved client: ").append(honestConnected ? "connected throughout" : "DISCONNECTED")
                    .append(", ").append(foreignResources.isEmpty() ? "holds only what the node serves it"
                            : "holds resources the node does not serve: " + foreignResources).append('\n');
            sb.append(passed() ? "RESULT: PASS" : "RESULT: FAIL").append('\n');
            return sb.toString();
        }
    }

    private ClientAttacks() {}

    /** The attacks of a scale, in the order they run, with the default bounds of the node. */
    static List<ClientAttack> attacks(Scale s) {
        return List.of(
                new NameLists(s.nameLists(), s.nameListMegabytes()),
                new StreamFlood(s.floodConnections(), s.floodStreams(), 100, 1_000, s.floodSettle()),
                new SlowConsumers(s.slowConsumers(), 256 * 1024),
                new NackStorm(s.nackStreams(), s.nackDuration()),
                new HostileNodeIds());
    }

    public static Report run(Path nodeJar, Path examples, Path dir, Scale scale, Consumer<String> log) throws Exception {
        AttackManifests manifests = new AttackManifests(dir.resolve("manifests"));
        manifests.writeDomains(scale.domains(), examples);
        manifests.addProbe();
        List<Result> results = new ArrayList<>();
        try (AttackTarget target = AttackTarget.start(nodeJar, dir, manifests, List.of(), Duration.ofMinutes(3));
             HonestEnvoy honest = new HonestEnvoy(target, manifests)) {
            if (!honest.awaitServed(scale.domains(), Duration.ofMinutes(2))) {
                throw new IllegalStateException("the well-behaved client never got the shard");
            }
            log.accept("node pid " + target.pid() + " serves " + scale.domains() + " TLS domains; well-behaved client served");
            for (ClientAttack attack : attacks(scale)) {
                log.accept("attack: " + attack.name());
                results.add(measure(target, honest, attack));
                log.accept("  " + results.get(results.size() - 1).row());
            }
            List<String> foreign = honest.foreignResources(target, Duration.ofSeconds(30));
            return new Report(scale, results, foreign, honest.isConnected());
        }
    }

    private static Result measure(AttackTarget target, HonestEnvoy honest, ClientAttack attack) throws Exception {
        long oldBefore = target.oldGenAfterGc();
        long logBefore = target.logBytes();
        long start = System.nanoTime();
        honest.startProbing(Duration.ofMillis(200), Duration.ofSeconds(10));
        ClientAttack.Outcome outcome;
        try {
            outcome = attack.run(target);
        } catch (Exception e) {
            outcome = new ClientAttack.Outcome(false, "the attack failed: " + e);
        }
        HonestEnvoy.Probes probes = honest.stopProbing(target);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        boolean alive = target.isAlive();
        boolean ready = alive && target.isReady();
        List<String> failing = alive ? target.failingDebugPages() : AttackTarget.DEBUG_PAGES;
        long[] oldAfter = {Long.MAX_VALUE};
        if (alive) {
            // What the attack's streams held goes once the node has seen them end.
            Waits.until(Duration.ofSeconds(60), Duration.ofSeconds(1), () -> {
                try {
                    oldAfter[0] = target.oldGenAfterGc();
                } catch (Exception e) {
                    return false;
                }
                return oldAfter[0] <= oldBefore + OLD_GEN_SLACK;
            });
        }
        return new Result(attack.name(), outcome, alive, ready, failing, probes.p99Millis(),
                probes.latenciesNanos().size(), probes.missed(), oldBefore, oldAfter[0], target.logBytes() - logBefore, seconds,
                loadAverage());
    }

    /** The machine's one-minute load average (the suite shares its cores with the node it attacks). */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) throw new IllegalArgumentException("flags are --name=value: " + arg);
            a.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        Scale scale = switch (a.getOrDefault("scale", "heavy")) {
            case "light" -> Scale.LIGHT;
            case "heavy" -> Scale.HEAVY;
            default -> throw new IllegalArgumentException("--scale must be light or heavy");
        };
        Path dir = Path.of(a.getOrDefault("dir", "attack-run"));
        Files.createDirectories(dir);
        Report report = run(Path.of(a.getOrDefault("node-jar", "node/target/shardgate-node.jar")),
                Path.of(a.getOrDefault("examples", "examples")), dir, scale, System.out::println);
        System.out.print(report);
        System.exit(report.passed() ? 0 : 1);
    }
}
