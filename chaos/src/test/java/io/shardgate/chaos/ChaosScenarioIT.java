package io.shardgate.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A short chaos run against real node processes: 3 nodes, 6 shards, 2 Delta clients per shard, about 20
 * domains created during the run, one kill -9; no route version may lack a served domain and every client
 * must converge to its shard's full set.
 */
class ChaosScenarioIT {
    @Test
    @Timeout(value = 110)
    void killNineLosesNoDomainAndEveryClientConverges() throws Exception {
        Path jar = Path.of(System.getProperty("node.jar", "../node/target/shardgate-node.jar"));
        Path base = Path.of(System.getProperty("chaos.dir", "target/chaos-it"));
        Files.createDirectories(base);
        Path dir = Files.createTempDirectory(base, "kill-");
        ChaosScenario.Config c = new ChaosScenario.Config(jar, dir, 3, 6, 2, 6, 26, Duration.ofMillis(200),
                List.of(ChaosScenario.Fault.KILL), Duration.ofSeconds(3), Duration.ofSeconds(6), Duration.ofSeconds(30));
        ChaosScenario.Report report = ChaosScenario.run(c, System.out::println);
        System.out.print(report);
        assertThat(report.violations()).as(report.toString()).isEmpty();
        assertThat(report.faults()).as(report.toString()).allMatch(ChaosScenario.FaultResult::converged);
        assertThat(report.finalConverged()).as(report.toString()).isTrue();
        assertThat(report.domains()).isGreaterThanOrEqualTo(26);
    }
}
