package io.shardgate.bench.fleet;

import com.google.protobuf.ByteString;
import io.shardgate.bench.workload.Change;
import io.shardgate.bench.target.ServedBytes;
import io.shardgate.node.store.ShardDirectory;
import io.shardgate.sharding.ShardId;
import io.shardgate.node.store.ShardStore;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Decides when each change has reached every client that must receive it, exactly, under any overlap of changes.
 *
 * <p>The ledger records every version the shard stores publish (on the engine thread, after each batch) with the
 * store sequence it was published at. A change is registered with the store sequences before it was handed over
 * and after it was translated: the resources changed in between (per shard) are the ones it must reach clients
 * in, each at a version published at or after that point. Each client arrival is matched to a published version
 * by its bytes (their size and {@link BodyDigest}: the fleet may run in another process), so a stale version still
 * in flight never counts, and a later version (changes collapse) does. A removal counts where the server tells
 * clients of it (see {@link #requiredSeq}).
 * A change's activation ends at the arrival that completes the last client. With changes overlapping, resources
 * another change altered in the same window count too, so the figure can only err high.
 *
 * <p>Both targets publish through Shardgate's shard stores (the shared translation stage), and serve the same
 * bytes, so one ledger serves both.
 *
 * <p>Threading: arrivals and registrations queue to one thread, {@code bench-tracker}, which owns all matching state.
 */
public final class ActivationTracker implements AutoCloseable {
    private static final int LEDGER_DEPTH = 16;
    private static final int ARRIVALS_KEPT = 8;
    private static final Object LEDGER_TICK = new Object();

    record Key(ShardId shard, ResourceType type, String name) {}

    /** A published version; {@code resource} null for a removal. Its digest is taken on the tracker thread, once. */
    private static final class Version {
        final long seq;
        final XdsResource resource;
        private int size = -2;
        private long digest;

        Version(long seq, XdsResource resource) {
            this.seq = seq;
            this.resource = resource;
        }

        /** Whether the arrival is this version: the same bytes as served, or both a removal. */
        boolean is(Arrival a, ServedBytes served) {
            if (resource == null || a.removed()) return resource == null && a.removed();
            if (size == -2) {
                ByteString body = served.of(resource);
                size = body.size();
                digest = BodyDigest.of(body);
            }
            return size == a.size() && digest == a.digest();
        }
    }

    private record Registration(Change change, long t0, Map<ShardId, Long> before, Map<ShardId, Long> after,
            long timeoutNanos, CompletableFuture<Activation> result) {}

    private final ShardDirectory directory;
    private final ServedBytes served;
    private final Map<ShardId, List<Integer>> clientsByShard = new HashMap<>();
    private final Map<Key, Deque<Version>> ledger = new ConcurrentHashMap<>();
    private final Map<ShardId, Long> ledgerSeq = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final List<Runnable> detach = new ArrayList<>();
    private volatile boolean recording;
    private final Thread thread;

    // tracker-thread state
    private final Map<Integer, Map<Key, Deque<long[]>>> matched = new HashMap<>();
    private final Map<Key, List<Arrival>> unmatched = new HashMap<>();
    private final Map<Key, List<Pending>> pendingByKey = new HashMap<>();
    private final List<Pending> pending = new ArrayList<>();

    public ActivationTracker(ShardDirectory directory, ServedBytes served, List<Fleet.Seat> seats) {
        this.directory = directory;
        this.served = served;
        for (Fleet.Seat s : seats) clientsByShard.computeIfAbsent(s.shard(), k -> new ArrayList<>()).add(s.index());
        for (Map.Entry<ShardId, ShardStore> e : directory.stores().entrySet()) {
            ShardStore store = e.getValue();
            ledgerSeq.put(e.getKey(), store.sequence());
            detach.add(store.onChange(() -> record(e.getKey(), store)));
        }
        this.thread = new Thread(this::run, "bench-tracker");
        thread.setDaemon(true);
        thread.start();
    }

    /** From now on, published versions and client arrivals are recorded (not during the initial sync: too many). */
    public void start() {
        recording = true;
    }

    /** A fleet client received a new version or a removal (any thread). */
    public void arrival(Arrival arrival) {
        if (recording) inbox.add(arrival);
    }

    /** Store sequences of every shard now: take it just before handing a change over. */
    public Map<ShardId, Long> sequences() {
        Map<ShardId, Long> out = new HashMap<>();
        directory.stores().forEach((k, s) -> out.put(k, s.sequence()));
        return out;
    }

    /**
     * Tracks a change handed over at {@code t0} ({@link System#nanoTime()}), with the store sequences before it was
     * handed over and after the engine applied it. Completes when every client of the shards it changed holds it,
     * or after {@code timeoutNanos} with the clients that did not.
     */
    public CompletableFuture<Activation> track(Change change, long t0, Map<ShardId, Long> before, Map<ShardId, Long> after,
            long timeoutNanos) {
        CompletableFuture<Activation> result = new CompletableFuture<>();
        inbox.add(new Registration(change, t0, before, after, timeoutNanos, result));
        return result;
    }

    // ---- engine thread ----

    private void record(ShardId shard, ShardStore store) {
        long to = store.sequence();
        long from = ledgerSeq.getOrDefault(shard, 0L);
        if (recording) {
            for (ResourceType type : ResourceType.values()) {
                store.changesSince(type, from, to, name -> {
                    XdsResource r = store.get(type, name);
                    Deque<Version> versions = ledger.computeIfAbsent(new Key(shard, type, name), k -> new ArrayDeque<>());
                    synchronized (versions) {
                        versions.addFirst(new Version(to, r));
                        while (versions.size() > LEDGER_DEPTH) versions.removeLast();
                    }
                });
            }
            inbox.add(LEDGER_TICK);
        }
        ledgerSeq.put(shard, to);
    }

    // ---- tracker thread ----

    private void run() {
        while (true) {
            Object next;
            try {
                next = inbox.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (next instanceof Arrival a) {
                onArrival(a);
            } else if (next instanceof Registration r) {
                onRegistration(r);
            } else if (next == LEDGER_TICK) {
                retryUnmatched();
            }
            expire();
        }
    }

    private void onArrival(Arrival a) {
        Key key = new Key(a.shard(), a.type(), a.name());
        long seq = match(key, a);
        if (seq < 0) {
            unmatched.computeIfAbsent(key, k -> new ArrayList<>()).add(a);
            return;
        }
        Deque<long[]> arrivals = matched.computeIfAbsent(a.client(), c -> new HashMap<>()).computeIfAbsent(key, k -> new ArrayDeque<>());
        arrivals.addLast(new long[] {seq, a.nanos()});
        while (arrivals.size() > ARRIVALS_KEPT) arrivals.removeFirst();
        List<Pending> waiting = pendingByKey.get(key);
        if (waiting == null) return;
        for (Pending p : new ArrayList<>(waiting)) p.satisfy(a.client(), key, seq, a.nanos());
    }

    /** The sequence of the published version the arrival is (the newest if several), or -1. */
    private long match(Key key, Arrival a) {
        Deque<Version> versions = ledger.get(key);
        if (versions == null) return -1;
        synchronized (versions) {
            for (Version v : versions) {
                if (v.is(a, served)) return v.seq;
            }
        }
        return -1;
    }

    private void retryUnmatched() {
        if (unmatched.isEmpty()) return;
        List<Arrival> retry = new ArrayList<>();
        unmatched.values().forEach(retry::addAll);
        unmatched.clear();
        long stale = System.nanoTime() - TimeUnit.SECONDS.toNanos(30);
        for (Arrival a : retry) {
            if (a.nanos() > stale) onArrival(a);
        }
    }

    private void onRegistration(Registration r) {
        Pending p = new Pending(r);
        for (Map.Entry<ShardId, Long> e : r.after().entrySet()) {
            ShardId shard = e.getKey();
            ShardStore store = directory.store(shard);
            long from = r.before().getOrDefault(shard, 0L);
            long to = e.getValue();
            if (store == null || to <= from) continue;
            for (ResourceType type : ResourceType.values()) {
                store.changesSince(type, from, to, name -> {
                    Key key = new Key(shard, type, name);
                    long required = requiredSeq(key, to);
                    if (required >= 0) p.require(key, required);
                });
            }
        }
        p.start();
        if (!p.done()) pending.add(p);
    }

    /**
     * The sequence of the newest version published up to {@code to}, or -1 when there is nothing to wait for. A removal
     * is waited for only where the server tells clients of it: types they hold as a wildcard (a Delta removal, or a SotW
     * response without the name). A client drops the others itself once nothing references them, which the change of
     * the referring resource (waited for) makes happen.
     */
    private long requiredSeq(Key key, long to) {
        Deque<Version> versions = ledger.get(key);
        if (versions == null) return -1;
        synchronized (versions) {
            for (Version v : versions) {
                if (v.seq <= to) return v.resource != null || Fleet.xdsType(key.type()).isWildcard() ? v.seq : -1;
            }
        }
        return -1;
    }

    private void expire() {
        long now = System.nanoTime();
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.done()) {
                it.remove();
            } else if (now - p.registration.t0() > p.registration.timeoutNanos()) {
                p.finish();
                it.remove();
            }
        }
    }

    @Override
    public void close() {
        detach.forEach(Runnable::run);
        thread.interrupt();
    }

    /** A registered change waiting for clients. */
    private final class Pending {
        final Registration registration;
        final Map<Key, Long> required = new HashMap<>();
        final Map<Integer, Set<Key>> remaining = new HashMap<>();
        final Map<Integer, Long> doneAt = new HashMap<>();
        int clients;
        boolean finished;

        Pending(Registration registration) {
            this.registration = registration;
        }

        void require(Key key, long seq) {
            required.put(key, seq);
        }

        void start() {
            Set<ShardId> shards = new HashSet<>();
            required.keySet().forEach(k -> shards.add(k.shard()));
            for (ShardId shard : shards) {
                for (int client : clientsByShard.getOrDefault(shard, List.of())) {
                    clients++;
                    Set<Key> keys = new HashSet<>();
                    long latest = 0;
                    for (Map.Entry<Key, Long> e : required.entrySet()) {
                        if (!e.getKey().shard().equals(shard)) continue;
                        long at = earliest(client, e.getKey(), e.getValue());
                        if (at < 0) keys.add(e.getKey());
                        else latest = Math.max(latest, at);
                    }
                    doneAt.put(client, latest);
                    if (!keys.isEmpty()) {
                        remaining.put(client, keys);
                        keys.forEach(k -> pendingByKey.computeIfAbsent(k, x -> new ArrayList<>()).add(this));
                    }
                }
            }
            if (remaining.isEmpty()) finish();
        }

        /** The earliest recorded arrival of a version at or after {@code seq}, or -1. */
        private long earliest(int client, Key key, long seq) {
            Deque<long[]> arrivals = matched.getOrDefault(client, Map.of()).get(key);
            if (arrivals == null) return -1;
            for (long[] a : arrivals) {
                if (a[0] >= seq) return a[1];
            }
            return -1;
        }

        void satisfy(int client, Key key, long seq, long nanos) {
            Set<Key> keys = remaining.get(client);
            if (keys == null || !keys.contains(key) || seq < required.get(key)) return;
            keys.remove(key);
            doneAt.merge(client, nanos, Math::max);
            if (keys.isEmpty()) remaining.remove(client);
            if (remaining.isEmpty()) finish();
        }

        boolean done() {
            return finished;
        }

        void finish() {
            if (finished) return;
            finished = true;
            for (Key k : required.keySet()) {
                List<Pending> list = pendingByKey.get(k);
                if (list != null) {
                    list.remove(this);
                    if (list.isEmpty()) pendingByKey.remove(k);
                }
            }
            int received = clients - remaining.size();
            long last = doneAt.values().stream().mapToLong(Long::longValue).max().orElse(registration.t0());
            long nanos = remaining.isEmpty() ? Math.max(0, last - registration.t0()) : -1;
            registration.result().complete(new Activation(registration.change().id(), registration.change().kind(), nanos,
                    clients, received, required.size()));
        }
    }
}
