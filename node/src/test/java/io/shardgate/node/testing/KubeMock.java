package io.shardgate.node.testing;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * fabric8's mock Kubernetes API server (CRUD mode) in a child JVM (kube-mock's {@code KubeMockServer}),
 * with a client for it. The child exits when this closes, or when the test JVM dies (its stdin closes).
 *
 * <pre>{@code
 * try (KubeMock mock = KubeMock.start()) {
 *     mock.client().resource(Fixtures.service("shop", "web").port("http", 80).build()).create();
 * }
 * }</pre>
 */
public final class KubeMock implements AutoCloseable {
    private static final int EDIT_ATTEMPTS = 10;
    private static final String MAIN = "io.shardgate.kubemock.KubeMockServer";
    private static final String READY_PREFIX = "KUBE_MOCK_READY port=";
    private static final long START_TIMEOUT_SECONDS = 60;

    private final Process process;
    private final int port;
    private final List<KubernetesClient> clients = new ArrayList<>();

    private KubeMock(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the server and waits for it to accept requests. */
    public static KubeMock start() {
        return start(null);
    }

    /** @param requestLog when not null, the server appends every request's method and path to this file */
    public static KubeMock start(java.nio.file.Path requestLog) {
        return start(requestLog, "256m");
    }

    /** @param heap the server's -Xmx (benchmarks hold 100k objects in it) */
    public static KubeMock start(java.nio.file.Path requestLog, String heap) {
        return start(requestLog, heap, List.of());
    }

    /** A server without these API groups, as a cluster without their CRDs: every request under them gets 404. */
    public static KubeMock withoutGroups(List<String> absentGroups) {
        return start(null, "256m", absentGroups);
    }

    private static KubeMock start(java.nio.file.Path requestLog, String heap, List<String> absentGroups) {
        Process process;
        try {
            List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx" + heap));
            if (requestLog != null) command.add("-Dkubemock.request-log=" + requestLog.toAbsolutePath());
            if (!absentGroups.isEmpty()) command.add("-Dkubemock.absent-groups=" + String.join(",", absentGroups));
            command.addAll(List.of("-cp", classPath(), MAIN, "0"));
            process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + MAIN, e);
        }
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread stdout = new Thread(() -> readStdout(process, ready), "kube-mock-stdout");
        stdout.setDaemon(true);
        stdout.start();
        try {
            return new KubeMock(process, ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
            throw new IllegalStateException("kube-mock did not become ready", e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting kube-mock", e);
        }
    }

    /** The API server's address, e.g. http://127.0.0.1:34567. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The shared client, for test setup and assertions. */
    public synchronized KubernetesClient client() {
        if (clients.isEmpty()) clients.add(newClient());
        return clients.get(0);
    }

    /** A client of its own (JDK HTTP client, namespace "default"), closed with this mock. */
    /**
     * Creates the object, or replaces the one of its name, as a user's edit does. The node writes the status of what it
     * serves meanwhile, which moves the resourceVersion between the update's read and its write; the server then
     * answers 409 Conflict, and the edit is made again on the new version, as any client of a real API server must do
     * under optimistic concurrency (at most {@value #EDIT_ATTEMPTS} attempts).
     */
    public <T extends io.fabric8.kubernetes.api.model.HasMetadata> void apply(T object) {
        for (int attempt = 1; ; attempt++) {
            object.getMetadata().setResourceVersion(null); // the current one, read again
            try {
                client().resource(object).createOr(existing -> existing.update());
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == EDIT_ATTEMPTS) throw e;
            }
        }
    }

    public synchronized KubernetesClient newClient() {
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder().withMasterUrl(url()).withTrustCerts(true).withNamespace("default").build())
                .build();
        clients.add(client);
        return client;
    }

    @Override
    public synchronized void close() {
        clients.forEach(KubernetesClient::close);
        clients.clear();
        try {
            process.getOutputStream().close(); // the server's cue to exit
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Completes {@code ready} with the port from the READY line, then keeps draining so the child never blocks on a full pipe. */
    private static void readStdout(Process process, CompletableFuture<Integer> ready) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!ready.isDone() && line.startsWith(READY_PREFIX)) {
                    ready.complete(Integer.parseInt(line.substring(READY_PREFIX.length()).trim()));
                } else {
                    System.out.println("[kube-mock] " + line);
                }
            }
        } catch (IOException | RuntimeException e) {
            ready.completeExceptionally(e);
        }
        if (!ready.isDone()) {
            ready.completeExceptionally(new IllegalStateException("kube-mock exited with " + exitCode(process) + " before it was ready"));
        }
    }

    private static String exitCode(Process process) {
        try {
            return String.valueOf(process.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(unknown)";
        }
    }

    private static String classPath() {
        String classes = requiredProperty("kubemock.classes");
        Path classPathFile = Path.of(requiredProperty("kubemock.classpath.file"));
        try {
            return classes + File.pathSeparator + Files.readString(classPathFile).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + classPathFile + " (build kube-mock first)", e);
        }
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null) throw new IllegalStateException("system property " + name + " is not set (surefire sets it from node/pom.xml)");
        return value;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
