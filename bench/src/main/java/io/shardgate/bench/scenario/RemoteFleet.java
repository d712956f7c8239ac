package io.shardgate.bench.scenario;

import io.shardgate.bench.Args;
import io.shardgate.bench.fleet.Fleet;
import io.shardgate.translator.resource.ResourceType;
import io.grpc.Status;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsState;
import io.shardgate.xdsclient.XdsType;
import io.shardgate.node.tls.LocalCertificates;
import io.shardgate.xdsclient.XdsClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The simulated fleet as its own process, against nodes elsewhere (any xDS server): connects, waits until every
 * client holds its listeners and clusters and everything they reference, then counts what arrives for a while.
 * Latency needs one clock, so activation figures come from the in-process scenarios; this gives sync time and
 * what a fleet receives under whatever churn the nodes see.
 */
public final class RemoteFleet {

    /** @param tls the client certificate every client presents (null: plaintext, for nodes run with --insecure-ads) */
    public record Options(String host, List<Integer> ports, String gateway, int shards, int clients, double deltaShare,
            Duration duration, Duration timeout, XdsClientOptions.ClientTls tls) {
        public static Options from(Args args) {
            Options o = new Options(args.string("host", "127.0.0.1"), args.integers("ports", "18000"), args.string("gateway", "public"),
                    args.integer("shards", 1), args.integer("clients", 100), args.decimal("delta-share", 0.5),
                    args.duration("duration", "60s"), args.duration("timeout", "300s"), tls(args.string("tls-dir", ".shardgate/tls")));
            args.checkAllRead();
            return o;
        }

        /**
         * The Envoy client certificate in {@code dir}, in the layout a node writes under {@code <state-dir>/tls} on
         * first start (ca.crt, envoy.crt, envoy.key); "none": plaintext.
         */
        static XdsClientOptions.ClientTls tls(String dir) {
            if (dir.equals("none")) return null;
            Path base = Path.of(dir);
            List<Path> files = List.of(base.resolve(LocalCertificates.ENVOY_CERT), base.resolve(LocalCertificates.ENVOY_KEY),
                    base.resolve(LocalCertificates.CA));
            for (Path f : files) {
                if (!Files.isReadable(f)) {
                    throw new IllegalArgumentException("--tls-dir=" + dir + " has no readable " + f.getFileName() + ": point it"
                            + " at the node's <state-dir>/tls (its ca.crt, envoy.crt, envoy.key), or --tls-dir=none for a node"
                            + " run with --insecure-ads");
                }
            }
            return new XdsClientOptions.ClientTls(files.get(0), files.get(1), files.get(2));
        }
    }

    public record Figures(int clients, long deltaClients, double syncMs, long nacks, double seconds,
            Map<ResourceType, Long> versionsReceived, Map<ResourceType, Long> bytesReceived) {}

    private RemoteFleet() {}

    public static Figures run(Options options) throws Exception {
        Map<ResourceType, LongAdder> versions = new EnumMap<>(ResourceType.class);
        Map<ResourceType, LongAdder> bytes = new EnumMap<>(ResourceType.class);
        for (ResourceType t : ResourceType.values()) {
            versions.put(t, new LongAdder());
            bytes.put(t, new LongAdder());
        }
        java.util.concurrent.atomic.AtomicBoolean counting = new java.util.concurrent.atomic.AtomicBoolean();
        long start = System.nanoTime();
        try (Fleet fleet = Fleet.connect(options.host(), options.ports(), options.gateway(), options.shards(), options.clients(),
                options.deltaShare(), false, options.tls(), true, (seat, r) -> {
                    if (!counting.get()) return;
                    versions.get(Fleet.resourceType(r.type())).increment();
                    bytes.get(Fleet.resourceType(r.type())).add(r.body().size());
                })) {
            long deadline = System.nanoTime() + options.timeout().toNanos();
            for (Fleet.Member m : fleet.members()) awaitSynced(m, deadline);
            double syncMs = (System.nanoTime() - start) / 1e6;
            ActivationScenario.log("fleet of %d synced in %.0f ms; counting for %s", fleet.size(), syncMs, options.duration());
            counting.set(true);
            long t0 = System.nanoTime();
            new CountDownLatch(1).await(options.duration().toMillis(), TimeUnit.MILLISECONDS); // observe for the duration
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<ResourceType, Long> v = new EnumMap<>(ResourceType.class);
            Map<ResourceType, Long> b = new EnumMap<>(ResourceType.class);
            versions.forEach((t, n) -> v.put(t, n.sum()));
            bytes.forEach((t, n) -> b.put(t, n.sum()));
            return new Figures(fleet.size(), fleet.deltaClients(), syncMs, fleet.nacks(), seconds, v, b);
        }
    }

    /**
     * Waits until the member holds a complete configuration. A stream the server ends as UNAVAILABLE (a node still
     * loading, a shard moving) is opened again after a pause, as Envoy does; any other end is final, and waiting on
     * would only hang until the timeout.
     */
    private static void awaitSynced(Fleet.Member m, long deadline) throws InterruptedException {
        XdsClient client = m.client();
        while (true) {
            boolean synced = client.awaitState(s -> complete(s) || client.terminated().isDone(),
                    Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (!client.terminated().isDone()) {
                if (synced) return;
                throw new IllegalStateException("client " + m.index() + " not synced: " + client.describe());
            }
            Status status = client.terminated().join();
            if (status.getCode() != Status.Code.UNAVAILABLE || System.nanoTime() > deadline) throw refused(m, status);
            TimeUnit.MILLISECONDS.sleep(RETRY_PAUSE_MS);
            client.reconnect();
        }
    }

    /** Envoy's xDS retry starts at about this; a retry policy, not a wait for some other event. */
    private static final long RETRY_PAUSE_MS = 250;

    /** The server ended a stream for good: say what it said. */
    static IllegalStateException refused(Fleet.Member m, Status status) {
        return new IllegalStateException("client " + m.index() + " (gateway '" + m.shard().gateway() + "', shard "
                + m.shard().shard() + ") was refused: " + status.getCode() + ": " + status.getDescription()
                + " (the README's default run serves gateway 'shardgate'; --gateway= names the IngressClass)");
    }

    /** Holds listeners and clusters, and every name they reference. */
    private static boolean complete(XdsState s) {
        if (s.resources(XdsType.LISTENER).isEmpty() || s.resources(XdsType.CLUSTER).isEmpty()) return false;
        for (XdsType t : XdsType.values()) {
            if (!t.isWildcard() && !s.resources(t).keySet().containsAll(s.subscriptions(t))) return false;
        }
        return true;
    }
}
