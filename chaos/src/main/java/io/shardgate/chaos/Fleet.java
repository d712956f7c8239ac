package io.shardgate.chaos;

import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.grpc.Status;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.ReceivedResource;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsClientOptions;
import io.shardgate.xdsclient.XdsType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Simulated Envoys (Delta xDS clients), {@code perShard} on every shard, each connected to a random reachable
 * node. When a stream ends the Envoy reconnects after a short jittered backoff to a random reachable node (a new
 * stream on its connection if it picks the same node, else a new connection), and, like Envoy, resumes with what
 * it holds: the node sends only what changed. Every arriving route "http" goes to the checker.
 */
public final class Fleet implements AutoCloseable {
    private final LocalCluster cluster;
    private final InvariantChecker checker;
    private final String gateway;
    private final List<Envoy> envoys = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "fleet-reconnect");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    public Fleet(LocalCluster cluster, InvariantChecker checker, String gateway, int shards, int perShard) {
        this.cluster = cluster;
        this.checker = checker;
        this.gateway = gateway;
        for (int s = 0; s < shards; s++) {
            for (int i = 0; i < perShard; i++) envoys.add(new Envoy("envoy-" + s + "-" + i, s));
        }
    }

    public void start() {
        envoys.forEach(Envoy::connectSomewhere);
    }

    public List<Envoy> envoys() {
        return List.copyOf(envoys);
    }

    public int reconnects() {
        return envoys.stream().mapToInt(e -> e.reconnects.get()).sum();
    }

    /**
     * Waits until every Envoy holds at least {@code target.apply(shard)}; returns the nanos at which the last
     * of them first received a version holding it, or -1 on timeout.
     */
    public long awaitHolding(IntFunction<Set<String>> target, Duration timeout) throws InterruptedException {
        boolean ok = Waits.until(timeout, Duration.ofMillis(25),
                () -> envoys.stream().allMatch(e -> e.domains().containsAll(target.apply(e.shard))));
        return ok ? lastHolding(target, id -> true) : -1;
    }

    /** Envoy id → how many times its stream has ended so far. */
    public Map<String, Integer> reconnectsById() {
        Map<String, Integer> counts = new java.util.HashMap<>();
        envoys.forEach(e -> counts.put(e.id, e.reconnects.get()));
        return counts;
    }

    /**
     * After {@link #awaitHolding} succeeded: the {@code count} Envoys that held their target last, each with its
     * time since {@code fromNanos}, the node it was on at {@code placementBefore} and now, and how many times its
     * stream ended since {@code reconnectsBefore}. Tells a fault's slowest clients apart: moved or not, reconnected
     * or served on the stream they had.
     */
    public String slowest(IntFunction<Set<String>> target, long fromNanos, int count, Map<String, String> placementBefore,
            Map<String, Integer> reconnectsBefore) {
        StringBuilder sb = new StringBuilder();
        envoys.stream()
                .sorted(java.util.Comparator.comparingLong((Envoy e) -> e.firstHolding(target.apply(e.shard))).reversed())
                .limit(count)
                .forEach(e -> sb.append("  ").append(e.id).append(" held after ")
                        .append((e.firstHolding(target.apply(e.shard)) - fromNanos) / 1_000_000).append(" ms, on ")
                        .append(placementBefore.get(e.id)).append(" then ").append(e.node)
                        .append(", ended at ").append((e.endedAt - fromNanos) / 1_000_000)
                        .append(" ms, connected at ").append((e.connectedAt - fromNanos) / 1_000_000)
                        .append(" ms, streams ended ")
                        .append(e.reconnects.get() - reconnectsBefore.getOrDefault(e.id, 0)).append(", the last with ")
                        .append(e.lastEnd).append('\n'));
        return sb.toString();
    }

    /** Envoy id → the node it is connected to right now. */
    public Map<String, String> placement() {
        Map<String, String> at = new java.util.HashMap<>();
        envoys.forEach(e -> at.put(e.id, e.node));
        return at;
    }

    /**
     * After {@link #awaitHolding} succeeded: the nanos at which the last of the Envoys {@code included} (by id)
     * first held its target.
     */
    public long lastHolding(IntFunction<Set<String>> target, java.util.function.Predicate<String> included) {
        long last = 0;
        for (Envoy e : envoys) {
            if (included.test(e.id)) last = Math.max(last, e.firstHolding(target.apply(e.shard)));
        }
        return last;
    }

    /** Whether every Envoy holds exactly {@code expected.apply(shard)}. */
    public boolean allExactly(IntFunction<Set<String>> expected) {
        return envoys.stream().allMatch(e -> e.domains().equals(expected.apply(e.shard)));
    }

    public String describe(IntFunction<Set<String>> expected) {
        StringBuilder sb = new StringBuilder();
        for (Envoy e : envoys) {
            Set<String> lacking = new TreeSet<>(expected.apply(e.shard));
            lacking.removeAll(e.domains());
            sb.append(e.id).append(" on ").append(e.node).append(" holds ").append(e.domains().size())
                    .append(lacking.isEmpty() ? "" : " lacking " + lacking).append(" reconnects=").append(e.reconnects)
                    .append('\n');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        for (Envoy e : envoys) e.close();
    }

    /** One simulated Envoy of one shard. */
    public final class Envoy {
        private final String id;
        private final int shard;
        private final AtomicInteger reconnects = new AtomicInteger();
        private final List<Map.Entry<Long, Set<String>>> history = new ArrayList<>();
        private XdsClient client;
        private volatile String node = "-";
        /** How its last stream ended (status and message). */
        private volatile String lastEnd = "-";
        /** When (nanoTime) its last stream ended, and when it last connected or resumed. */
        private volatile long endedAt, connectedAt;
        private volatile int clientSerial;
        private int generation;

        Envoy(String id, int shard) {
            this.id = id;
            this.shard = shard;
        }

        public String id() {
            return id;
        }

        public int shard() {
            return shard;
        }

        /** The domains of the last route "http" received (kept across reconnects). */
        public Set<String> domains() {
            synchronized (history) {
                return history.isEmpty() ? Set.of() : history.get(history.size() - 1).getValue();
            }
        }

        long firstHolding(Set<String> target) {
            synchronized (history) {
                for (Map.Entry<Long, Set<String>> v : history) if (v.getValue().containsAll(target)) return v.getKey();
            }
            return Long.MAX_VALUE;
        }

        /** On the client's gRPC thread with its lock held: takes only the history and checker locks. */
        private void onArrival(int serial, String at, ReceivedResource r) {
            if (r.type() != XdsType.ROUTE || !"http".equals(r.name())) return;
            Set<String> hosts = new TreeSet<>();
            RouteConfiguration rc = r.message();
            for (VirtualHost vh : rc.getVirtualHostsList()) {
                for (String d : vh.getDomainsList()) if (!"*".equals(d)) hosts.add(d);
            }
            if (serial != clientSerial) return;
            synchronized (history) {
                history.add(Map.entry(r.arrivalNanos(), Set.copyOf(hosts)));
            }
            checker.onRoute(id, shard, at, r.version(), hosts, r.arrivalNanos(), r.sentMillis());
        }

        synchronized void connectSomewhere() {
            if (closed) return;
            List<LocalCluster.NodeProcess> live = cluster.reachable();
            if (live.isEmpty()) {
                retryLater();
                return;
            }
            LocalCluster.NodeProcess target = live.get(ThreadLocalRandom.current().nextInt(live.size()));
            int gen = ++generation;
            connectedAt = System.nanoTime();
            if (client == null) {
                node = target.name();
                int serial = ++clientSerial;
                client = XdsClient.connect(XdsClientOptions.of("127.0.0.1", target.adsPort(), Mode.DELTA, id, gateway, shard)
                        .withTls(cluster.clientTls()).withOnArrival(r -> onArrival(serial, node, r)));
            } else if (target.name().equals(node)) {
                client.reconnect();
            } else {
                node = target.name();
                client.reconnectTo("127.0.0.1", target.adsPort());
            }
            client.terminated().whenComplete((Status s, Throwable t) -> {
                endedAt = System.nanoTime();
                lastEnd = s != null ? s.getCode() + " " + s.getDescription() : String.valueOf(t);
                try {
                    scheduler.execute(() -> onEnd(gen));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // closing
                }
            });
        }

        private synchronized void onEnd(int gen) {
            if (gen != generation || closed) return;
            reconnects.incrementAndGet();
            retryLater();
        }

        private void retryLater() {
            if (closed) return;
            long delay = 50 + ThreadLocalRandom.current().nextLong(200);
            try {
                scheduler.schedule(this::connectSomewhere, delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }

        synchronized void close() {
            generation++;
            clientSerial++;
            if (client != null) client.close();
        }
    }
}
