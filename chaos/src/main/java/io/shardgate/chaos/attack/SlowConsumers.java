package io.shardgate.chaos.attack;

import io.shardgate.chaos.Waits;
import io.shardgate.xdsclient.BareAds;
import io.shardgate.xdsclient.XdsType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code consumers} clients, each on its own connection with a 64 KiB window, asking for the listeners (the HTTPS
 * listener holds a filter chain per TLS domain) and reading nothing. The node holds each one's unwritten response;
 * what that costs is measured as the old generation after a full collection while all of them are stalled, less
 * the same before. It must be the shared cached bytes, not a copy per consumer.
 */
record SlowConsumers(int consumers, long maxPinnedBytesPerConsumer) implements ClientAttack {
    private static final Pattern UNWRITTEN = Pattern.compile("\"unwrittenBytes\":(\\d+)");

    @Override
    public String name() {
        return consumers + " slow consumers";
    }

    @Override
    public Outcome run(AttackTarget target) throws Exception {
        long before = target.oldGenAfterGc();
        List<BareAds> connections = new ArrayList<>();
        try {
            for (int i = 0; i < consumers; i++) {
                BareAds connection = new BareAds(target.adsPort(), 65_535);
                connections.add(connection);
                connection.sotw(false, null).send(BareAds.sotw(BareAds.node("slow-" + i, AttackManifests.GATEWAY),
                        XdsType.LISTENER, "", List.of()));
            }
            long[] seen = new long[2]; // stalled streams, their unwritten bytes
            Waits.until(Duration.ofMinutes(2), Duration.ofMillis(200), () -> {
                String clients = target.admin("/debug/clients");
                seen[0] = 0;
                seen[1] = 0;
                if (clients == null) return false;
                for (String client : clients.split("\"nodeId\":\"")) {
                    if (!client.startsWith("slow-")) continue;
                    Matcher m = UNWRITTEN.matcher(client);
                    long unwritten = m.find() ? Long.parseLong(m.group(1)) : 0;
                    if (unwritten > 0) {
                        seen[0]++;
                        seen[1] += unwritten;
                    }
                }
                return seen[0] == consumers;
            });
            int stalled = (int) seen[0];
            long unwritten = seen[1];
            long during = target.oldGenAfterGc();
            long perConsumer = stalled == 0 ? 0 : Math.max(0, during - before) / stalled;
            boolean held = stalled == consumers && perConsumer <= maxPinnedBytesPerConsumer;
            return new Outcome(held, stalled + " stalled with " + mb(unwritten) + " MB unwritten in all ("
                    + mb(unwritten / Math.max(1, stalled)) + " MB each); old gen after GC " + mb(before) + " MB before, "
                    + mb(during) + " MB while stalled: " + perConsumer / 1024 + " KB held per consumer");
        } finally {
            for (BareAds connection : connections) connection.close();
        }
    }

    static String mb(long bytes) {
        return String.format("%.1f", bytes / 1e6);
    }
}
