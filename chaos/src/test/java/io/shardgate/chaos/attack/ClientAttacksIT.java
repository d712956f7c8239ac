package io.shardgate.chaos.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client attacks at light scale against a real node process at -Xmx665m (the heavy scale is the harness
 * command in docs/security.md): every attack is answered as it must be, and the node, the well-behaved client,
 * the heap and the log come out of each unharmed.
 */
class ClientAttacksIT {
    @Test
    @Timeout(value = 600)
    void everyClientAttackIsHeldAtLightScale() throws Exception {
        Path jar = Path.of(System.getProperty("node.jar", "../node/target/shardgate-node.jar"));
        Path examples = Path.of(System.getProperty("examples.dir", "../examples"));
        Path base = Path.of(System.getProperty("chaos.dir", "target/chaos-it"));
        Files.createDirectories(base);
        Path dir = Files.createTempDirectory(base, "client-attacks-");

        ClientAttacks.Report report = ClientAttacks.run(jar, examples, dir, ClientAttacks.Scale.LIGHT, System.out::println);
        System.out.print(report);

        assertThat(report.results()).as(report.toString()).hasSize(5).allMatch(ClientAttacks.Result::held);
        assertThat(report.foreignResources()).as(report.toString()).isEmpty();
        assertThat(report.honestConnected()).as(report.toString()).isTrue();
    }
}
