package io.shardgate.node.report;

import io.shardgate.node.ads.Nack;
import io.shardgate.node.ads.NackListener;
import io.shardgate.sharding.ShardId;
import io.shardgate.translator.resource.ResourceType;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets a rejected resource through to the domains' reports (log line, metric, {@code EnvoyRejected} Event on the
 * Ingress) at most once per interval per shard and resource, whatever the number of Envoys or NACKs: a client
 * NACKing in a loop, or a whole fleet rejecting the same version, costs each domain one report per interval. A
 * NACK whose resources were all reported within the interval is dropped (counted in {@link #dropped()}).
 *
 * <p>The names are the server's own (the resources it sent), so the memory is bounded by what the shards hold;
 * entries older than the interval are pruned as the map grows. Thread-safe: NACKs arrive on every event loop.
 */
public final class RejectionThrottle implements NackListener {
    private static final int PRUNE_ABOVE = 10_000;

    private record Key(ShardId shard, ResourceType type, String name) {}

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final NackListener next;
    private final Map<Key, Long> lastPassed = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();

    public RejectionThrottle(Duration interval, NackListener next) {
        this(interval, System::nanoTime, next);
    }

    RejectionThrottle(Duration interval, LongSupplier nanoClock, NackListener next) {
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.next = next;
    }

    @Override
    public void onNack(Nack nack) {
        long now = nanoClock.getAsLong();
        Map<String, String> passing = new TreeMap<>();
        nack.rejectedVersions().forEach((name, version) -> {
            Key key = new Key(nack.shard(), nack.type(), name);
            boolean[] pass = new boolean[1];
            lastPassed.compute(key, (k, last) -> {
                pass[0] = last == null || now - last >= intervalNanos;
                return pass[0] ? now : last;
            });
            if (pass[0]) passing.put(name, version);
        });
        if (lastPassed.size() > PRUNE_ABOVE) lastPassed.values().removeIf(last -> now - last >= intervalNanos);
        if (passing.isEmpty()) {
            dropped.incrementAndGet();
            return;
        }
        next.onNack(new Nack(nack.nodeId(), nack.shard(), nack.type(), passing, nack.errorMessage()));
    }

    /** NACKs not passed on since start because every resource they named was reported within the interval. */
    public long dropped() {
        return dropped.get();
    }
}
