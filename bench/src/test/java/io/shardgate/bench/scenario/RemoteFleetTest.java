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
                    Duration.ofSeconds(1), Duration.ofMinutes(5), null);

            assertThatThrownBy(() -> RemoteFleet.run(options))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("was refused: NOT_FOUND")
                    .hasMessageContaining("serves gateway 'shardgate'");
        } finally {
            node.close();
        }
    }

    @Test
    void aFleetOfTheServedGatewaySyncsOverMutualTlsWithTheCertificatesTheNodeMade(@TempDir Path state) throws Exception {
        Node node = Node.start(NodeConfigParser.parse(new String[] {"--manifests=" + Path.of("..", "examples").toAbsolutePath(),
                "--listen-address=127.0.0.1", "--ads-port=0", "--admin-port=0", "--member-port=0",
                "--state-dir=" + state, "--cluster-name=fleet-" + System.nanoTime()}, Map.of()));
        try {
            RemoteFleet.Figures figures = RemoteFleet.run(RemoteFleet.Options.from(new io.shardgate.bench.Args(new String[] {
                    "--ports=" + node.adsPort(), "--gateway=shardgate", "--clients=2", "--duration=10ms", "--timeout=2m",
                    "--tls-dir=" + state.resolve("tls")})));

            assertThat(figures.clients()).isEqualTo(2);
            assertThat(figures.deltaClients()).isEqualTo(1);
        } finally {
            node.close();
        }
    }

    @Test
    void aTlsDirectoryWithoutTheClientCertificateSaysWhereToPointIt(@TempDir Path empty) {
        assertThatThrownBy(() -> RemoteFleet.Options.from(new io.shardgate.bench.Args(new String[] {"--tls-dir=" + empty})))
                .hasMessageContaining("has no readable envoy.crt").hasMessageContaining("<state-dir>/tls")
                .hasMessageContaining("--tls-dir=none");
    }
}
