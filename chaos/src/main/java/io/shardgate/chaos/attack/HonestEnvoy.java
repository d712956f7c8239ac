package io.shardgate.chaos.attack;

import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.ReceivedResource;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsClientOptions;
import io.shardgate.xdsclient.XdsState;
import io.shardgate.xdsclient.XdsType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The well-behaved client that runs through every attack: a Delta client of the attacked shard, connected
 * before the first attack. While an attack runs, a probe loop adds one plain-HTTP domain at a time and times how
 * long the client takes to hold it (written to held, through the node's file source and translation): that
 * is the latency the suite bounds. At the end, everything it holds must be what the node serves it.
 */
final class HonestEnvoy implements AutoCloseable {
    static final String NODE_ID = "honest-envoy";

    private final XdsClient client;
    private final AttackManifests manifests;
    /** {written, arrived} of each probe, in System.nanoTime(). */
    private final List<long[]> arrivals = new ArrayList<>();
    private final List<String> missed = new ArrayList<>();
    private volatile boolean probing;
    private Thread prober;

    HonestEnvoy(AttackTarget target, AttackManifests manifests) {
        this.manifests = manifests;
        this.client = XdsClient.connect(XdsClientOptions.of("127.0.0.1", target.adsPort(), Mode.DELTA, NODE_ID,
                AttackManifests.GATEWAY, 0));
    }

    /** Waits until the client holds the HTTPS listener with every one of the shard's TLS domains. */
    boolean awaitServed(int domains, Duration timeout) throws InterruptedException {
        return client.awaitState(s -> s.resource(XdsType.ROUTE, "http") != null
                && s.resources(XdsType.ROUTE).size() >= domains + 1, timeout);
    }

    /** Starts adding a probe domain every {@code pause} after the last one arrived. */
    synchronized void startProbing(Duration pause, Duration limit) {
        probing = true;
        prober = new Thread(() -> {
            while (probing) {
                try {
                    long written = System.nanoTime();
                    String host = manifests.addProbe();
                    boolean arrived = client.awaitState(s -> httpHosts(s).contains(host), limit);
                    synchronized (this) {
                        if (arrived) arrivals.add(new long[] {written, System.nanoTime()});
                        else missed.add(host);
                        notifyAll();
                    }
                    Thread.sleep(pause.toMillis()); // the probe's own pace, not a synchronisation
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    synchronized (this) {
                        missed.add("probe failed: " + e);
                    }
                }
            }
        }, "attack-probe");
        prober.setDaemon(true);
        prober.start();
    }

    /**
     * Stops probing (after the probe in flight); returns the latencies measured since the last start, leaving out
     * probes that overlapped a collection the suite itself forced on the node.
     */
    Probes stopProbing(AttackTarget target) throws InterruptedException {
        // An attack shorter than a forced collection would leave no probe to judge by: probe on (the attack still
        // holding its streams) until one probe clear of every forced collection has arrived, or 30 s.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        synchronized (this) {
            while (arrivals.stream().allMatch(p -> target.overlapsForcedCollection(p[0], p[1])) && missed.isEmpty()
                    && System.nanoTime() < deadline && prober.isAlive()) {
                wait(50); // woken by each arrival (notifyAll below); 50 ms bounds a check of the deadline
            }
        }
        probing = false;
        prober.join(Duration.ofSeconds(30).toMillis());
        synchronized (this) {
            List<Long> latencies = new ArrayList<>();
            int excluded = 0;
            for (long[] probe : arrivals) {
                if (target.overlapsForcedCollection(probe[0], probe[1])) excluded++;
                else latencies.add(probe[1] - probe[0]);
            }
            Probes probes = new Probes(latencies, List.copyOf(missed), excluded);
            arrivals.clear();
            missed.clear();
            return probes;
        }
    }

    /**
     * Probe latencies of one attack, the probes that did not arrive within the limit, and how many were left out
     * for overlapping a forced collection.
     */
    record Probes(List<Long> latenciesNanos, List<String> missed, int overlappingForcedCollections) {
        long p99Millis() {
            if (latenciesNanos.isEmpty()) return -1;
            List<Long> sorted = latenciesNanos.stream().sorted().toList();
            return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1_000_000;
        }
    }

    /**
     * Resources the client holds that the node does not serve it at that version (from /debug/client), once the
     * two agree or {@code timeout} has passed; empty when every held resource is the honest node's.
     */
    List<String> foreignResources(AttackTarget target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> foreign = new ArrayList<>();
            String served = target.admin("/debug/client?node=" + NODE_ID);
            for (XdsType type : XdsType.values()) {
                for (ReceivedResource r : client.resources(type).values()) {
                    if (served == null || !served.contains("\"" + r.name() + "\":\"" + r.version() + "\"")) {
                        foreign.add(type + " " + r.name() + "@" + r.version());
                    }
                }
            }
            if (foreign.isEmpty() || System.nanoTime() > deadline) return foreign;
            client.awaitState(s -> false, Duration.ofMillis(200)); // let the client take what is in flight
        }
    }

    boolean isConnected() {
        return !client.terminated().isDone();
    }

    private static List<String> httpHosts(XdsState state) {
        ReceivedResource http = state.resource(XdsType.ROUTE, "http");
        List<String> hosts = new ArrayList<>();
        if (http == null) return hosts;
        RouteConfiguration rc = http.message();
        for (VirtualHost vh : rc.getVirtualHostsList()) hosts.addAll(vh.getDomainsList());
        return hosts;
    }

    Map<String, ReceivedResource> held(XdsType type) {
        return client.resources(type);
    }

    @Override
    public void close() {
        probing = false;
        if (prober != null) prober.interrupt();
        client.close();
    }
}
