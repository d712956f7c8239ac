package io.shardgate.chaos;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.shardgate.xdsclient.XdsClientOptions.ClientTls;

/**
 * Shardgate nodes as local child processes of the built node jar, on loopback with free ports, forming one
 * Hazelcast cluster. Each node's pid is written to {@code <dir>/nodes/<name>.pid} (what {@code kill-node.sh}
 * reads) and its output to {@code <dir>/logs/<name>.log}. Every child is destroyed on {@link #close()} and,
 * should the JVM exit without it, by a shutdown hook.
 */
public final class LocalCluster implements AutoCloseable {
    /** The gateway whose Envoy certificate nodes make on first start: harnesses over mTLS serve this one. */
    public static final String GATEWAY = "shardgate";
    /** A signal the harness sends to a node process. */
    public enum Signal { KILL, TERM, STOP, CONT }

    /** One node process. */
    public record NodeProcess(String name, Process process, int adsPort, int adminPort) {
        public long pid() {
            return process.pid();
        }
    }

    /** A shard the node owns and has fully translated (a lost shard's store is still listed, not owned). */
    private static final Pattern READY_SHARD = Pattern.compile("\"shard\":(\\d+),\"ready\":true,\"owned\":true");

    private final Path nodeJar;
    private final Path dir;
    private final Path manifests;
    private final String clusterName;
    private final String failureTimeout;
    private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
    private final Map<String, Boolean> frozen = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Thread hook;
    private int nextIndex = 1;
    private List<String> jvmOptions = List.of("-Xmx512m");
    private List<String> extraFlags = List.of();
    private boolean mutualTls = true;

    public LocalCluster(Path nodeJar, Path dir, Path manifests, String failureTimeout) throws IOException {
        if (!Files.isRegularFile(nodeJar)) {
            throw new IllegalStateException("node jar not found: " + nodeJar + " (build it: mvn -pl node -am package)");
        }
        this.nodeJar = nodeJar;
        this.dir = dir;
        this.manifests = manifests;
        this.failureTimeout = failureTimeout;
        this.clusterName = "chaos-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Files.createDirectories(dir.resolve("nodes"));
        Files.createDirectories(dir.resolve("logs"));
        this.hook = new Thread(this::destroyAll, "chaos-cluster-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public Path dir() {
        return dir;
    }

    /** What every node makes for itself on first start and the others reuse: cluster key, CA and certificates. */
    public Path stateDir() {
        return dir.resolve("state");
    }

    /** The Hazelcast cluster name the nodes join under. */
    public String clusterName() {
        return clusterName;
    }

    /**
     * Nodes started from now on serve plaintext ({@code --insecure-ads}), for harnesses that measure what lies
     * beneath authentication. By default nodes serve mTLS as in production, with the CA and certificates the
     * first node makes under {@code <dir>/state/tls}, which every node shares (so relays authenticate each other).
     */
    public synchronized LocalCluster insecure() {
        this.mutualTls = false;
        return this;
    }

    /**
     * The client certificate a gateway's Envoys present: the one nodes make on first start, for gateway
     * {@value #GATEWAY}'s default identity; null for plaintext nodes.
     */
    public synchronized ClientTls clientTls() {
        if (!mutualTls) return null;
        Path tls = stateDir().resolve("tls");
        return new ClientTls(tls.resolve("envoy.crt"), tls.resolve("envoy.key"), tls.resolve("ca.crt"));
    }

    /** The JVM options (default {@code -Xmx512m}) and extra node flags of the nodes started from now on. */
    public synchronized LocalCluster nodeOptions(List<String> jvmOptions, List<String> extraFlags) {
        this.jvmOptions = List.copyOf(jvmOptions);
        this.extraFlags = List.copyOf(extraFlags);
        return this;
    }

    /** Starts a new node process (does not wait for it to be ready). */
    public synchronized NodeProcess start() throws IOException {
        String name = "node-" + nextIndex++;
        int ads = freePort();
        int admin = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", nodeJar.toString(),
                "--manifests=" + manifests, "--listen-address=127.0.0.1",
                "--ads-port=" + ads, "--admin-port=" + admin, "--member-port=0",
                "--join=tcp", "--members=127.0.0.1", "--cluster-name=" + clusterName,
                "--failure-timeout=" + failureTimeout, "--state-dir=" + stateDir()));
        if (!mutualTls) cmd.add("--insecure-ads");
        cmd.addAll(extraFlags);
        Path log = dir.resolve("logs").resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        NodeProcess node = new NodeProcess(name, p, ads, admin);
        nodes.put(name, node);
        frozen.put(name, false);
        Path tmp = dir.resolve("nodes").resolve("." + name + ".pid.tmp");
        Files.writeString(tmp, p.pid() + "\n");
        Files.move(tmp, dir.resolve("nodes").resolve(name + ".pid"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        return node;
    }

    public synchronized List<NodeProcess> nodes() {
        return List.copyOf(nodes.values());
    }

    /** Nodes whose process is alive and not frozen by the harness: where a reconnecting client may go. */
    public synchronized List<NodeProcess> reachable() {
        return nodes.values().stream().filter(n -> n.process().isAlive() && !frozen.get(n.name())).toList();
    }

    public synchronized NodeProcess node(String name) {
        NodeProcess n = nodes.get(name);
        if (n == null) throw new IllegalArgumentException("no node " + name);
        return n;
    }

    /** Sends a signal with kill(1), as kill-node.sh does. */
    public void signal(String name, Signal signal) throws IOException, InterruptedException {
        NodeProcess n = node(name);
        Process kill = new ProcessBuilder("kill", "-" + signal.name(), Long.toString(n.pid()))
                .redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + n.pid() + " failed");
        }
        synchronized (this) {
            if (signal == Signal.STOP) frozen.put(name, true);
            if (signal == Signal.CONT) frozen.put(name, false);
        }
    }

    /** Waits for the process to exit (after KILL or TERM). */
    public boolean awaitExit(String name, Duration timeout) throws InterruptedException {
        return node(name).process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** GET on a node's admin port; null when unreachable. */
    public String admin(NodeProcess n, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.adminPort() + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * When the first surviving node logged that {@code departed} left the cluster (Shardgate's own line, with the
     * node's ADS address), as epoch ms at or after {@code afterEpochMillis}; -1 if none has yet.
     */
    public long departureLoggedAt(NodeProcess departed, long afterEpochMillis) throws IOException {
        String marker = "(ADS 127.0.0.1:" + departed.adsPort() + ") left the cluster";
        long first = -1;
        for (NodeProcess n : nodes()) {
            if (n == departed) continue;
            Path log = dir.resolve("logs").resolve(n.name() + ".log");
            if (!Files.isRegularFile(log)) continue;
            try (var lines = Files.lines(log, java.nio.charset.StandardCharsets.UTF_8)) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (!line.contains(marker)) continue;
                    long at;
                    try {
                        at = java.time.Instant.parse(line.substring(0, line.indexOf(' '))).toEpochMilli();
                    } catch (RuntimeException notATimestamp) {
                        continue;
                    }
                    if (at >= afterEpochMillis && (first < 0 || at < first)) first = at;
                }
            } catch (java.io.UncheckedIOException malformed) {
                // a line cut mid-character while being written: the next look reads it whole
            }
        }
        return first;
    }

    public boolean isReady(NodeProcess n) {
        return n.process().isAlive() && admin(n, "/readyz") != null;
    }

    /** The shards a node owns and has ready, from /debug/shards (one gateway assumed). */
    public List<Integer> readyShards(NodeProcess n) {
        String body = admin(n, "/debug/shards");
        List<Integer> shards = new ArrayList<>();
        if (body == null) return shards;
        Matcher m = READY_SHARD.matcher(body);
        while (m.find()) shards.add(Integer.parseInt(m.group(1)));
        return shards;
    }

    /**
     * Waits until every reachable node is ready, each owns at least one shard, and together they own every
     * one of {@code shards} shards exactly once.
     */
    public boolean awaitBalanced(int shards, Duration timeout) throws InterruptedException {
        return Waits.until(timeout, Duration.ofMillis(200), () -> {
            List<NodeProcess> live = reachable();
            if (live.isEmpty()) return false;
            List<Integer> all = new ArrayList<>();
            for (NodeProcess n : live) {
                if (!isReady(n)) return false;
                List<Integer> own = readyShards(n);
                if (own.isEmpty()) return false;
                all.addAll(own);
            }
            return all.size() == shards && all.stream().distinct().count() == shards;
        });
    }

    /** One line per node: name, pid, state, owned ready shards. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (NodeProcess n : nodes()) {
            boolean isFrozen;
            synchronized (this) {
                isFrozen = frozen.get(n.name());
            }
            sb.append(n.name()).append(" pid=").append(n.pid()).append(" ads=").append(n.adsPort())
                    .append(n.process().isAlive() ? (isFrozen ? " frozen" : " alive") : " dead")
                    .append(n.process().isAlive() && !isFrozen ? " shards=" + readyShards(n) : "").append('\n');
        }
        return sb.toString();
    }

    private synchronized void destroyAll() {
        for (NodeProcess n : nodes.values()) {
            ProcessHandle h = n.process().toHandle();
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            if (frozen.getOrDefault(n.name(), false)) {
                try {
                    new ProcessBuilder("kill", "-CONT", Long.toString(n.pid())).start().waitFor(2, TimeUnit.SECONDS);
                } catch (IOException e) {
                    // SIGKILL below works on a stopped process too.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            n.process().destroyForcibly();
        }
        for (NodeProcess n : nodes.values()) {
            try {
                n.process().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
