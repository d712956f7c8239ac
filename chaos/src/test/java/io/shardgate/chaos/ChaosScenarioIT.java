package io.shardgate.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A short chaos run against real node processes: 3 nodes, 6 shards, 2 Delta clients per shard, domains created
 * throughout; kill -9 one node, freeze another (SIGSTOP) for twice the failure timeout, SIGTERM a third after the
 * killed one was replaced. No route version may lack a served domain and every client must converge to its
 * shard's full set after each fault and at the end.
 */
class ChaosScenarioIT {
    @Test
    @Timeout(value = 300)
    void killFreezeAndTermLoseNoDomainAndEveryClientConverges() throws Exception {
        Path jar = Path.of(System.getProperty("node.jar", "../node/target/shardgate-node.jar"));
        Path base = Path.of(System.getProperty("chaos.dir", "target/chaos-it"));
        Files.createDirectories(base);
        Path dir = Files.createTempDirectory(base, "faults-");
        ChaosScenario.Config c = new ChaosScenario.Config(jar, dir, 3, 6, 2, 6, 0, Duration.ofMillis(200),
                List.of(ChaosScenario.Fault.KILL, ChaosScenario.Fault.FREEZE, ChaosScenario.Fault.TERM),
                Duration.ofSeconds(3), Duration.ofSeconds(6), Duration.ofSeconds(40));
        ChaosScenario.Report report = ChaosScenario.run(c, System.out::println);
        System.out.print(report);
        assertThat(report.violations()).as(report.toString()).isEmpty();
        assertThat(report.faults()).as(report.toString()).allMatch(ChaosScenario.FaultResult::converged);
        assertThat(report.finalConverged()).as(report.toString()).isTrue();
        assertThat(report.faults()).extracting(ChaosScenario.FaultResult::fault).containsExactly(
                ChaosScenario.Fault.KILL, ChaosScenario.Fault.FREEZE, ChaosScenario.Fault.TERM);
        assertThat(report.domains()).as("domains were created during the faults").isGreaterThan(6 + 3 * 3);
    }
}
