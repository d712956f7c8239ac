package io.shardgate.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Short chaos runs against real node processes, 6 shards, 2 Delta clients per shard, domains created throughout.
 * Three nodes: kill -9 one, the replacement joins, freeze another (SIGSTOP) for twice the failure timeout, SIGTERM
 * a third, its replacement joins. Two nodes: freeze one past the failure timeout, then wake it. No route version
 * may lack a domain already sent elsewhere, every client must converge after each fault and at the end, and where
 * no node died (a join, a SIGTERM, a node waking) no domain may wait longer than 5 s for its first Envoy.
 */
class ChaosScenarioIT {
    @Test
    @Timeout(value = 300)
    void killRejoinFreezeAndTermLoseNoDomainAndLeaveNoShardUnserved() throws Exception {
        ChaosScenario.Report report = ChaosScenario.run(config("faults-", 3, List.of(ChaosScenario.Fault.KILL,
                ChaosScenario.Fault.FREEZE, ChaosScenario.Fault.TERM)), System.out::println);
        assertPassed(report);
        assertThat(report.faults()).extracting(ChaosScenario.FaultResult::fault).containsExactly(
                ChaosScenario.Fault.KILL, ChaosScenario.Fault.REJOIN, ChaosScenario.Fault.FREEZE,
                ChaosScenario.Fault.TERM, ChaosScenario.Fault.REJOIN);
        assertThat(report.domains()).as("domains were created during the faults").isGreaterThan(6 + 3 * 3);
    }

    /** The woken node and the survivor agree whichever merges into which; the woken, fenced node takes nothing. */
    @Test
    @Timeout(value = 300)
    void aTwoNodeClusterWhoseNodeFreezesAndWakesLeavesNoShardUnserved() throws Exception {
        ChaosScenario.Report report = ChaosScenario.run(config("pause-", 2, List.of(ChaosScenario.Fault.FREEZE)),
                System.out::println);
        assertPassed(report);
        assertThat(report.faults()).extracting(ChaosScenario.FaultResult::fault).containsExactly(ChaosScenario.Fault.FREEZE);
    }

    private static ChaosScenario.Config config(String prefix, int nodes, List<ChaosScenario.Fault> faults) throws Exception {
        Path jar = Path.of(System.getProperty("node.jar", "../node/target/shardgate-node.jar"));
        Path base = Path.of(System.getProperty("chaos.dir", "target/chaos-it"));
        Files.createDirectories(base);
        return new ChaosScenario.Config(jar, Files.createTempDirectory(base, prefix), nodes, 6, 2, 6, 0,
                Duration.ofMillis(200), faults, Duration.ofSeconds(3), Duration.ofSeconds(6), Duration.ofSeconds(40), false);
    }

    private static void assertPassed(ChaosScenario.Report report) {
        System.out.print(report);
        assertThat(report.violations()).as(report.toString()).isEmpty();
        assertThat(report.faults()).as(report.toString()).allMatch(ChaosScenario.FaultResult::converged);
        assertThat(report.faults()).as("no shard unserved over %d ms where no node died: %s",
                ChaosScenario.GAP_LIMIT_MILLIS, report).allMatch(f -> f.gapMillis() <= ChaosScenario.GAP_LIMIT_MILLIS);
        assertThat(report.faults()).as("every fault but a kill has its gap measured").allMatch(f ->
                (f.fault() == ChaosScenario.Fault.KILL) == (f.gapMillis() < 0));
        assertThat(report.finalConverged()).as(report.toString()).isTrue();
    }
}
