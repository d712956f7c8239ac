package io.shardgate.node.store;

import io.shardgate.sharding.ShardId;
import io.shardgate.translator.resource.ResourceKey;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The served resources of one shard, per type and name, with a change log so a client stream can ask
 * "which names changed since I last looked" and do work proportional to what changed.
 *
 * <p>Threading: one writer (the shard's translation worker) calls {@link #apply}; any number of readers
 * (ADS streams on Vert.x event loops) read concurrently without locks. Every change gets a sequence
 * number; {@link #sequence()} is published (volatile) after a whole batch is in, and readers look only at
 * log entries up to the sequence they read first, so they never act on half a batch's log. A reader may
 * see a resource body newer than that sequence; it will see the same name again on its next pass and,
 * the version being a content hash, send nothing twice.
 *
 * <p>Deleted names stay in the log as tombstones until more than {@code tombstoneLimit} accumulate; then
 * the oldest are trimmed and a reader behind the trim point is told to resynchronise fully (rare: only a
 * reader that slept through that many deletions).
 */
public final class ShardStore {
    private final ShardId key;
    private final int tombstoneLimit;
    private final Map<ResourceType, TypeState> types = new EnumMap<>(ResourceType.class);
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile long sequence;

    public ShardStore(ShardId key) {
        this(key, 100_000);
    }

    public ShardStore(ShardId key, int tombstoneLimit) {
        this.key = key;
        this.tombstoneLimit = tombstoneLimit;
        for (ResourceType t : ResourceType.values()) types.put(t, new TypeState());
    }

    public ShardId key() {
        return key;
    }

    /** The sequence number of the last completely applied batch. */
    public long sequence() {
        return sequence;
    }

    public XdsResource get(ResourceType type, String name) {
        return types.get(type).resources.get(name);
    }

    /** Every resource of a type, in no particular order (a weakly consistent view). */
    public Collection<XdsResource> all(ResourceType type) {
        return types.get(type).resources.values();
    }

    public int size(ResourceType type) {
        return types.get(type).resources.size();
    }

    /** An order-independent hash of the type's (name, version) set: the SotW version_info. O(1). */
    public long typeHash(ResourceType type) {
        return types.get(type).setHash;
    }

    /**
     * Calls {@code names} for every name of the type changed (put or removed) after {@code fromExclusive} and
     * up to {@code toInclusive}, each once.
     *
     * @return false if the log no longer reaches back to {@code fromExclusive}: the caller must compare
     *     everything instead (and nothing was called)
     */
    public boolean changesSince(ResourceType type, long fromExclusive, long toInclusive, Consumer<String> names) {
        TypeState state = types.get(type);
        if (fromExclusive < state.trimmedUpTo) return false;
        state.log.subMap(fromExclusive, false, toInclusive, true).values().forEach(names);
        return true;
    }

    /** Signals, after every applied batch, on the writer's thread. Listeners must only schedule work. */
    public Runnable onChange(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Completes once the shard has been fully translated; until then it must not be served. */
    public CompletableFuture<Void> whenReady() {
        return ready;
    }

    public boolean isReady() {
        return ready.isDone();
    }

    public void markReady() {
        ready.complete(null);
    }

    /**
     * The shard left this node: what the store holds is no longer kept current, so if the shard comes back it
     * must not be served before it has been translated again.
     */
    public synchronized void markNotReady() {
        if (ready.isDone()) ready = new CompletableFuture<>();
    }

    /** Applies one batch of changes (one writer at a time). Puts of an identical version are no-ops. */
    public synchronized void apply(Batch batch) {
        long seq = sequence;
        boolean changed = false;
        if (batch.replacesAll) removeAllBut(batch);
        for (Map.Entry<ResourceKey, XdsResource> change : batch.last.entrySet()) {
            TypeState state = types.get(change.getKey().type());
            String name = change.getKey().name();
            XdsResource r = change.getValue();
            if (r != null) {
                XdsResource old = state.resources.put(name, r);
                if (old != null && old.hash() == r.hash()) continue;
                if (old != null) state.setHash -= old.entryHash();
                state.setHash += r.entryHash();
                state.logPut(name, ++seq);
            } else {
                XdsResource old = state.resources.remove(name);
                if (old == null) continue;
                state.setHash -= old.entryHash();
                state.logRemoval(name, ++seq);
            }
            changed = true;
        }
        if (!changed) return;
        for (TypeState state : types.values()) state.trimTombstones(tombstoneLimit);
        sequence = seq;
        for (Runnable l : listeners) l.run();
    }

    /** Adds to a whole-content batch the removal of every resource it does not put. */
    private void removeAllBut(Batch batch) {
        types.forEach((type, state) -> state.resources.keySet().stream()
                .filter(name -> batch.last.get(new ResourceKey(type, name)) == null)
                .toList()
                .forEach(name -> batch.remove(type, name)));
    }

    /**
     * A set of puts and removals applied together. Per resource only the last change counts: a name put and
     * then removed is removed, removed and then put again is put.
     */
    public static final class Batch {
        /** Last change per resource: the resource put, or null for a removal. */
        private final Map<ResourceKey, XdsResource> last = new LinkedHashMap<>();
        private final boolean replacesAll;

        public Batch() {
            this(false);
        }

        private Batch(boolean replacesAll) {
            this.replacesAll = replacesAll;
        }

        /**
         * A batch holding the store's whole new content: whatever it does not put is removed. For a shard
         * owned again, whose store still holds what was served before another node owned it.
         */
        public static Batch wholeContent() {
            return new Batch(true);
        }

        public Batch put(XdsResource resource) {
            last.put(ResourceKey.of(resource), resource);
            return this;
        }

        public Batch remove(ResourceType type, String name) {
            last.put(new ResourceKey(type, name), null);
            return this;
        }

        public boolean isEmpty() {
            return last.isEmpty();
        }
    }

    private static final class TypeState {
        final ConcurrentHashMap<String, XdsResource> resources = new ConcurrentHashMap<>();
        final ConcurrentSkipListMap<Long, String> log = new ConcurrentSkipListMap<>();
        final Map<String, Long> lastSeq = new HashMap<>();
        final Set<String> deleted = new HashSet<>();
        volatile long trimmedUpTo;
        /** Written by the one writer, read by ADS streams on other threads. */
        volatile long setHash;

        void logPut(String name, long seq) {
            deleted.remove(name);
            relog(name, seq);
        }

        void logRemoval(String name, long seq) {
            deleted.add(name);
            relog(name, seq);
        }

        private void relog(String name, long seq) {
            Long previous = lastSeq.put(name, seq);
            if (previous != null) log.remove(previous);
            log.put(seq, name);
        }

        /** Drops the oldest log entries until half the limit of tombstones remain. */
        void trimTombstones(int limit) {
            if (deleted.size() <= limit) return;
            var it = log.entrySet().iterator();
            while (deleted.size() > limit / 2 && it.hasNext()) {
                var e = it.next();
                String name = e.getValue();
                if (deleted.remove(name)) lastSeq.remove(name);
                trimmedUpTo = e.getKey();
                it.remove();
            }
        }
    }
}
