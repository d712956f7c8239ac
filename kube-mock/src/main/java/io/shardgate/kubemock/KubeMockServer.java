package io.shardgate.kubemock;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fabric8's mock Kubernetes API server in CRUD mode, as a process of its own: it carries Vert.x 4, which
 * cannot share a class path with the product's Vert.x 5.
 *
 * <p>Usage: {@code KubeMockServer [port]} (0 or absent: a free port). Listens on 127.0.0.1 over plain HTTP,
 * prints {@code KUBE_MOCK_READY port=<port>} once it accepts requests, and exits when its standard input
 * closes, so a test's child process never outlives the test JVM.
 *
 * <p>CRUD only: no canned expectations. Known limits of the mock, not of a real API server: no validation,
 * no defaulting, no admission; field selectors other than metadata.name and metadata.namespace are ignored
 * (with a warning), so a client must not rely on them for correctness.
 */
public final class KubeMockServer {
    public static final String READY_PREFIX = "KUBE_MOCK_READY port=";
    /** Held so the level set on it is not lost to garbage collection. */
    private static final Logger REQUEST_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    private KubeMockServer() {}

    public static void main(String[] args) throws IOException {
        REQUEST_LOG.setLevel(Level.WARNING); // one INFO line per request drowns a test's own output
        int requestedPort = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), // serialises canned expectations only; there are none
                new MockWebServer(),
                responses,
                new WatchCloseOffLoopDispatcher(),
                false);
        server.init(InetAddress.getByName("127.0.0.1"), requestedPort);
        System.out.println(READY_PREFIX + server.getPort());
        System.out.flush();

        try {
            while (System.in.read() != -1) {
                // Only the end of standard input matters.
            }
        } finally {
            // No graceful server.destroy(): it can wait on open watch connections, and the state dies with the process.
            System.exit(0);
        }
    }
}
