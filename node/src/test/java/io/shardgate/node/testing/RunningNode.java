package io.shardgate.node.testing;

import io.shardgate.node.Node;
import io.shardgate.node.config.NodeConfigParser;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A whole node, in this JVM, reading the Kubernetes API of a {@link KubeMock} (its own JVM) through a
 * kubeconfig file, as it would a real cluster; ADS and admin on free loopback ports. Clients it hands out
 * are closed with it.
 */
public final class RunningNode implements AutoCloseable {
    private final Node node;
    private final Path kubeconfig;
    private final List<XdsClient> clients = new ArrayList<>();

    private RunningNode(Node node, Path kubeconfig) {
        this.node = node;
        this.kubeconfig = kubeconfig;
    }

    public static RunningNode on(KubeMock mock, String... extraFlags) {
        try {
            Path kubeconfig = Files.createTempFile("shardgate-kubeconfig", ".yaml");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: mock, cluster: {server: "%s"}}]
                    contexts: [{name: mock, context: {cluster: mock, user: mock}}]
                    current-context: mock
                    users: [{name: mock, user: {token: test}}]
                    """.formatted(mock.url()));
            List<String> args = new ArrayList<>(List.of("--source=kubernetes", "--kubeconfig=" + kubeconfig,
                    "--listen-address=127.0.0.1", "--ads-port=0", "--admin-port=0", "--member-port=0",
                    "--cluster-name=test-" + System.nanoTime()));
            // Plaintext, unless the flags give the node its TLS files.
            if (java.util.Arrays.stream(extraFlags).noneMatch(f -> f.startsWith("--tls-cert="))) args.add("--insecure-ads");
            args.addAll(List.of(extraFlags));
            Node node = Node.start(NodeConfigParser.parse(args.toArray(String[]::new), Map.of()));
            Conditions.await("the node ready", java.time.Duration.ofSeconds(60), node.engine()::isReady);
            return new RunningNode(node, kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("node did not start", e);
        }
    }

    public Node node() {
        return node;
    }

    /** An Envoy-like client of one gateway shard. */
    public synchronized XdsClient connect(Mode mode, String nodeId, String gateway, int shard) {
        XdsClient client = XdsClient.connect(XdsClientOptions.of("127.0.0.1", node.adsPort(), mode, nodeId, gateway, shard));
        clients.add(client);
        return client;
    }

    @Override
    public synchronized void close() {
        clients.forEach(XdsClient::close);
        node.close();
        try {
            Files.deleteIfExists(kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
