package io.shardgate.chaos.attack;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.shardgate.chaos.Waits;
import io.shardgate.xdsclient.BareAds;
import io.shardgate.xdsclient.XdsType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code connections} connections opening {@code streamsPerConnection} SotW streams each, every one asking for
 * CDS as an Envoy's first request does. The node must serve at most its bounds at any moment (sampled from its
 * {@code shardgate_ads_connected_clients} gauge) and refuse the streams it sees beyond them. A connection's
 * SETTINGS_MAX_CONCURRENT_STREAMS is the client bound, so grpc-java holds the excess itself: streams neither
 * served nor ended after {@code settle} are those, and cost the node nothing. grpc-java reconnects a connection
 * the node closed, so more streams than the bounds may be served over the whole attack.
 */
record StreamFlood(int connections, int streamsPerConnection, int maxPerConnection, int maxOnNode, Duration settle)
        implements ClientAttack {
    @Override
    public String name() {
        return (connections * streamsPerConnection) + " streams on " + connections + " connections";
    }

    @Override
    public Outcome run(AttackTarget target) throws Exception {
        List<BareAds> open = new ArrayList<>();
        List<BareAds.Stream<DiscoveryRequest, DiscoveryResponse>> streams = new ArrayList<>();
        long start = System.nanoTime();
        ConnectedSampler sampler = new ConnectedSampler(target);
        sampler.start();
        try {
            for (int c = 0; c < connections; c++) {
                BareAds connection = new BareAds(target.adsPort(), 1 << 20);
                open.add(connection);
                for (int s = 0; s < streamsPerConnection; s++) {
                    var stream = connection.sotw();
                    stream.send(BareAds.sotw(BareAds.node("flood-" + c + "-" + s, AttackManifests.GATEWAY),
                            XdsType.CLUSTER, "", List.of()));
                    streams.add(stream);
                }
            }
            int served = 0;
            Map<Status.Code, Integer> ended = new EnumMap<>(Status.Code.class);
            long deadline = System.nanoTime() + settle.toNanos();
            for (var stream : streams) {
                if (stream.awaitResponseOrEnd(1, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    served++;
                } else if (stream.ended().isDone()) {
                    ended.merge(stream.ended().get().getCode(), 1, Integer::sum);
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            int undecided = streams.size() - served - ended.values().stream().mapToInt(Integer::intValue).sum();
            long mostAtOnce = sampler.finish();
            // A refused stream is RESOURCE_EXHAUSTED; a connection resetting too many streams is closed by Netty's
            // rapid-reset guard (GOAWAY ENHANCE_YOUR_CALM), which ends its streams UNAVAILABLE.
            boolean held = mostAtOnce >= 0 && mostAtOnce <= Math.min((long) connections * maxPerConnection, maxOnNode) + 1
                    && ended.keySet().stream().allMatch(code -> code == Status.Code.RESOURCE_EXHAUSTED
                            || code == Status.Code.UNAVAILABLE);
            return new Outcome(held, served + " served over the attack, at most " + mostAtOnce
                    + " streams open on the node at once (the well-behaved client's included), ended " + ended
                    + ", " + undecided + " held back by the client (over the connection's stream bound) after " + millis + " ms");
        } finally {
            sampler.finish();
            for (BareAds connection : open) connection.close();
        }
    }

    /** Samples the node's open streams every 200 ms; {@link #finish} returns the most seen (-1 if none read). */
    private static final class ConnectedSampler extends Thread {
        private static final Pattern CONNECTED = Pattern.compile("(?m)^shardgate_ads_connected_clients\\{[^}]*} (\\S+)$");
        private final AttackTarget target;
        private volatile boolean running = true;
        private long most = -1;

        ConnectedSampler(AttackTarget target) {
            super("flood-sampler");
            setDaemon(true);
            this.target = target;
        }

        @Override
        public void run() {
            try {
                while (running) {
                    String metrics = target.admin("/metrics");
                    if (metrics != null) {
                        long open = 0;
                        Matcher m = CONNECTED.matcher(metrics);
                        while (m.find()) open += (long) Double.parseDouble(m.group(1));
                        synchronized (this) {
                            most = Math.max(most, open);
                        }
                    }
                    Waits.until(Duration.ofSeconds(1), Duration.ofMillis(100), () -> !running);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        long finish() throws InterruptedException {
            running = false;
            join(10_000);
            synchronized (this) {
                return most;
            }
        }
    }
}
