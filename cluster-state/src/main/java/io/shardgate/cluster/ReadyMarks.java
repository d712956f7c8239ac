package io.shardgate.cluster;

import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.shardgate.sharding.ShardId;
import io.shardgate.sharding.Watermark;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What each member says it can serve: a signed mark per member, present once its sources have synced (absent:
 * the member is still loading, or fenced after a pause, and is given no shard), listing the shards it has
 * translated completely, and how far it has read its sources ({@link Watermark}: a position per input stream that
 * means the same on every node). The writer moves a shard onto a member only once the member's mark lists it and
 * its watermark covers the owner's (make-before-break: the new owner has seen everything the old one had). Signed like the table: a mark that does not verify counts as absent.
 *
 * <pre>
 * shardgate ready v2
 * CLUSTER
 * MEMBER
 * public/0,public/3
 * Ingress@*=4711,Secret@*=4690   (Watermark#text)
 * signature BASE64
 * </pre>
 */
final class ReadyMarks {
    static final String MAP = "shardgate.ready";
    private static final String HEADER = "shardgate ready v2";
    private static final String SIGNATURE = "\nsignature ";

    private final IMap<String, Object> map;
    private final ClusterKey key;
    private final String clusterName;
    private volatile Map<String, Set<ShardId>> known = Map.of();
    private volatile Map<String, Watermark> watermarks = Map.of();

    /** A verified mark: the shards a member is ready to serve, and how far it has read its sources. */
    record Mark(Set<ShardId> ready, Watermark watermark) {}

    ReadyMarks(IMap<String, Object> map, ClusterKey key, String clusterName) {
        this.map = map;
        this.key = key;
        this.clusterName = clusterName;
    }

    /** Calls {@code changed} (on a Hazelcast event thread: it must only queue work) when any mark changes. */
    UUID listen(Runnable changed) {
        return map.addEntryListener(new Listener(changed), false);
    }

    /** Every member's verified mark as last {@link #reload read} (filter by admission where it matters). */
    Map<String, Set<ShardId>> known() {
        return known;
    }

    /** Reads every mark again (after a change, or a merge that brought the other side's marks); true if any differs. */
    boolean reload() {
        Map<String, Set<ShardId>> now = new TreeMap<>();
        Map<String, Watermark> positions = new TreeMap<>();
        Set<String> members;
        try {
            members = map.keySet();
        } catch (RuntimeException unreadable) {
            return false; // shutting down, or partitions migrating: the table's next resync reads again
        }
        for (String member : members) {
            Mark mark;
            try {
                mark = parse(member, map.get(member));
            } catch (RuntimeException unreadable) {
                // Not deserialisable (anything on the cluster channel can store such a value), or a read failing while
                // partitions migrate: the member keeps the mark last read for it, and it hides no other member's.
                mark = known.containsKey(member) ? new Mark(known.get(member), watermarkOf(member)) : null;
            }
            if (mark == null) continue;
            now.put(member, mark.ready());
            positions.put(member, mark.watermark());
        }
        boolean changed = !now.equals(known) || !positions.equals(watermarks);
        known = Map.copyOf(now);
        watermarks = Map.copyOf(positions);
        return changed;
    }

    void stopListening(UUID registration) {
        map.removeEntryListener(registration);
    }

    String text(String member, Collection<ShardId> ready, Watermark watermark) {
        String body = HEADER + "\n" + clusterName + "\n" + member + "\n"
                + new TreeSet<>(ready).stream().map(ShardId::toString).collect(Collectors.joining(",")) + "\n" + watermark.text();
        return body + SIGNATURE + key.sign(body);
    }

    void write(String member, Collection<ShardId> ready, Watermark watermark) {
        map.set(member, text(member, ready, watermark));
    }

    /** Each member's watermark as last read (none when it has no mark). */
    Watermark watermarkOf(String member) {
        return watermarks.getOrDefault(member, Watermark.NONE);
    }

    void delete(String member) {
        map.delete(member);
    }

    /** The verified mark of {@code member}, or null. */
    Mark parse(String member, Object stored) {
        if (!(stored instanceof String text)) return null;
        int at = text.lastIndexOf(SIGNATURE);
        if (at < 0) return null;
        String body = text.substring(0, at);
        if (!key.verifies(body, text.substring(at + SIGNATURE.length()).strip())) return null;
        String[] lines = body.split("\n", -1);
        if (lines.length != 5 || !lines[0].equals(HEADER) || !lines[1].equals(clusterName) || !lines[2].equals(member)) {
            return null;
        }
        try {
            SortedSet<ShardId> ready = new TreeSet<>();
            if (!lines[3].isEmpty()) Arrays.stream(lines[3].split(",")).map(ShardId::parse).forEach(ready::add);
            return new Mark(ready, Watermark.parse(lines[4]));
        } catch (RuntimeException otherFormat) {
            return null;
        }
    }

    private record Listener(Runnable changed) implements EntryAddedListener<String, Object>,
            EntryUpdatedListener<String, Object>, EntryRemovedListener<String, Object> {
        @Override
        public void entryAdded(com.hazelcast.core.EntryEvent<String, Object> event) {
            changed.run();
        }

        @Override
        public void entryUpdated(com.hazelcast.core.EntryEvent<String, Object> event) {
            changed.run();
        }

        @Override
        public void entryRemoved(com.hazelcast.core.EntryEvent<String, Object> event) {
            changed.run();
        }
    }
}
