package io.shardgate.chaos.attack;

import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.shardgate.xdsclient.BareAds;
import io.shardgate.xdsclient.XdsType;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code streams} SotW streams NACKing as fast as they can for {@code duration}: each asks for the plain-HTTP route
 * configuration (every domain of the shard is behind it), rejects it with a long message full of line breaks,
 * drops it and asks again to have it re-sent. The log and the domains' reports must not follow the NACK rate.
 */
record NackStorm(int streams, Duration duration) implements ClientAttack {
    private static final String TEXT = "http: rejected\n[main] ERROR forged line\n" + "z".repeat(4_000);

    @Override
    public String name() {
        return streams + "-stream NACK storm for " + duration.toSeconds() + " s";
    }

    @Override
    public Outcome run(AttackTarget target) throws Exception {
        AtomicLong nacks = new AtomicLong();
        long logBefore = target.logBytes();
        List<Thread> threads = new ArrayList<>();
        long deadline = System.nanoTime() + duration.toNanos();
        try (BareAds connection = new BareAds(target.adsPort(), 1 << 20)) {
            for (int i = 0; i < streams; i++) {
                Node node = BareAds.node("nacker-" + i, AttackManifests.GATEWAY);
                Thread t = new Thread(() -> storm(connection, node, deadline, nacks), "nack-storm-" + i);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) t.join(duration.plusMinutes(1).toMillis());
        }
        List<String> log = Files.readAllLines(target.log()).stream().skip(countLines(target, logBefore)).toList();
        long nackLines = log.stream().filter(l -> l.contains("NACK from node 'nacker-")).count();
        long reportLines = log.stream().filter(l -> l.contains("EnvoyRejected")).count();
        long forged = log.stream().filter(l -> l.startsWith("[main] ERROR forged")).count();
        double perSecond = nacks.get() / (double) duration.toSeconds();
        return new Outcome(forged == 0 && nacks.get() > streams,
                nacks.get() + " NACKs (" + Math.round(perSecond) + "/s); " + nackLines + " NACK log lines, " + reportLines
                        + " EnvoyRejected report lines, " + forged + " forged lines");
    }

    private static void storm(BareAds connection, Node node, long deadline, AtomicLong nacks) {
        var stream = connection.sotw();
        List<String> http = List.of("http");
        try {
            stream.send(BareAds.sotw(node, XdsType.ROUTE, "", http));
            for (int n = 1; System.nanoTime() < deadline; n++) {
                DiscoveryResponse response = stream.awaitResponse(n, Duration.ofSeconds(30));
                DiscoveryRequest nack = BareAds.sotw(node, XdsType.ROUTE, response.getNonce(), http).toBuilder()
                        .setErrorDetail(Status.newBuilder().setCode(3).setMessage(TEXT)).build();
                stream.send(nack);
                nacks.incrementAndGet();
                stream.send(BareAds.sotw(node, XdsType.ROUTE, response.getNonce(), List.of()));
                stream.send(BareAds.sotw(node, XdsType.ROUTE, response.getNonce(), http));
            }
        } catch (Exception | AssertionError e) {
            // the stream ended (the node may end a misbehaving one): this stream's storm is over
        } finally {
            stream.cancel();
        }
    }

    /** How many lines the log had when it was {@code bytes} long. */
    private static long countLines(AttackTarget target, long bytes) throws java.io.IOException {
        try (var in = Files.newInputStream(target.log())) {
            byte[] head = in.readNBytes((int) Math.min(bytes, Integer.MAX_VALUE));
            long lines = 0;
            for (byte b : head) if (b == '\n') lines++;
            return lines;
        }
    }
}
