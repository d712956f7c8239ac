package io.shardgate.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardgate.node.Node;
import io.shardgate.node.config.NodeConfigParser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteFleetTest {

    @Test
    void aFleetNamingAGatewayTheNodesDoNotServeFailsWithTheServersAnswerInsteadOfWaitingOut(@TempDir Path state)
            throws Exception {
        Node node = Node.start(NodeConfigParser.parse(new String[] {"--manifests=" + Path.of("..", "examples").toAbsolutePath(),
                "--listen-address=127.0.0.1", "--ads-port=0", "--admin-port=0", "--member-port=0",
                "--state-dir=" + state, "--cluster-name=fleet-" + System.nanoTime(), "--insecure-ads"}, Map.of()));
        try {
            RemoteFleet.Options options = new RemoteFleet.Options("127.0.0.1", List.of(node.adsPort()), "public", 1, 2, 0.5,
                    Duration.ofSeconds(1), Duration.ofMinutes(5));

            assertThatThrownBy(() -> RemoteFleet.run(options))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("was refused: NOT_FOUND")
                    .hasMessageContaining("serves gateway 'shardgate'");
        } finally {
            node.close();
        }
    }

    @Test
    void aFleetOfTheServedGatewaySyncs(@TempDir Path state) throws Exception {
        Node node = Node.start(NodeConfigParser.parse(new String[] {"--manifests=" + Path.of("..", "examples").toAbsolutePath(),
                "--listen-address=127.0.0.1", "--ads-port=0", "--admin-port=0", "--member-port=0",
                "--state-dir=" + state, "--cluster-name=fleet-" + System.nanoTime(), "--insecure-ads"}, Map.of()));
        try {
            RemoteFleet.Figures figures = RemoteFleet.run(new RemoteFleet.Options("127.0.0.1", List.of(node.adsPort()),
                    "shardgate", 1, 2, 0.5, Duration.ofMillis(10), Duration.ofMinutes(2)));

            assertThat(figures.clients()).isEqualTo(2);
            assertThat(figures.deltaClients()).isEqualTo(1);
        } finally {
            node.close();
        }
    }
}
