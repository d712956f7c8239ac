package io.shardgate.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.shardgate.sharding.ShardAssignment;
import io.shardgate.sharding.ShardId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide shard table: which member owns which shard. Exactly one member writes it, the oldest
 * (Hazelcast orders members by join time, the same on every member); the others only read. The writer
 * recomputes it with {@link ShardAssignment#assign} from the previous table whenever members join or
 * leave or its set of shards changes, so a change moves only the shards it must. Every member keeps the
 * latest table locally and is told of each new one.
 *
 * <p>The table is one map entry of plain text ({@code gateway/shard=member} lines), so it needs no Java
 * serialisation and reads well in a debugger. Work runs on one thread of its own, never on Hazelcast's
 * event threads.
 */
public final class ShardTable implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShardTable.class);
    static final String MAP = "shardgate.shard-table";
    static final String KEY = "table";
    /** Members about to leave (SIGTERM): the writer places no shard on them. */
    static final String DRAINING = "shardgate.draining";

    private final ClusterMember member;
    private final IMap<String, String> map;
    private final IMap<String, String> draining;
    private final UUID drainingRegistration;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "shardgate-shard-table");
        t.setDaemon(true);
        return t;
    });
    private final List<Consumer<ShardAssignment>> listeners = new CopyOnWriteArrayList<>();
    private final UUID membershipRegistration;
    private final UUID entryRegistration;
    private volatile ShardAssignment current = ShardAssignment.empty();
    private volatile Set<ShardId> localShards = Set.of();

    public ShardTable(ClusterMember member) {
        this.member = member;
        this.map = member.hazelcast().getMap(MAP);
        this.entryRegistration = map.addEntryListener(new Listener(), KEY, true);
        this.draining = member.hazelcast().getMap(DRAINING);
        this.drainingRegistration = draining.addEntryListener(
                (EntryAddedListener<String, String>) event -> worker.execute(this::rebalanceIfWriter), false);
        this.membershipRegistration = member.hazelcast().getCluster().addMembershipListener(
                new com.hazelcast.cluster.MembershipListener() {
                    @Override
                    public void memberAdded(com.hazelcast.cluster.MembershipEvent event) {
                        worker.execute(ShardTable.this::rebalanceIfWriter);
                    }

                    @Override
                    public void memberRemoved(com.hazelcast.cluster.MembershipEvent event) {
                        worker.execute(() -> {
                            forgetDraining(event.getMember().getUuid().toString());
                            rebalanceIfWriter();
                        });
                    }
                });
        // After a merge the member id is new and the table is the larger cluster's; no entry event says so.
        member.onMerged(() -> worker.execute(() -> {
            if (!member.isRunning()) return;
            accept(map.get(KEY), true);
            rebalanceIfWriter();
        }));
        worker.execute(() -> accept(map.get(KEY), false));
    }

    /** This member's id, as the table names owners. */
    public String localId() {
        return member.localMember().getUuid().toString();
    }

    /** The latest table this member has seen. */
    public ShardAssignment current() {
        return current;
    }

    /** Called (on the table's thread) with every new table. */
    public Runnable onChange(Consumer<ShardAssignment> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * The shards this member knows of (every gateway's 0..S-1). Only the writer's view shapes the table;
     * every member reports its own so that whoever is the writer, now or after a leave, has one.
     */
    public void shardsChanged(Collection<ShardId> shards) {
        localShards = Set.copyOf(shards);
        worker.execute(this::rebalanceIfWriter);
    }

    /**
     * Asks the writer to move every shard of this member to the others (a graceful leave): the table changes,
     * the new owners translate them, and this member owns nothing when {@link #current()} says so.
     *
     * @return false when no other member stays to take them (nothing is asked then)
     */
    public boolean drain() {
        Set<String> leaving = draining.keySet();
        boolean someoneStays = member.members().stream().filter(m -> !m.isLiteMember())
                .map(m -> m.getUuid().toString())
                .anyMatch(id -> !id.equals(localId()) && !leaving.contains(id));
        if (someoneStays) draining.set(localId(), "draining");
        return someoneStays;
    }

    /** True while this member is the table's writer (the oldest member). */
    public boolean isWriter() {
        Set<Member> members = member.members();
        return !members.isEmpty() && members.iterator().next().localMember();
    }

    private void forgetDraining(String memberId) {
        try {
            if (member.isRunning() && isWriter()) draining.delete(memberId);
        } catch (RuntimeException e) {
            log.debug("could not forget a departed member's draining mark", e);
        }
    }

    private void rebalanceIfWriter() {
        try {
            if (!member.isRunning() || !isWriter()) return;
            List<String> all = member.members().stream().filter(m -> !m.isLiteMember())
                    .map(m -> m.getUuid().toString()).sorted().toList();
            Set<String> leaving = draining.keySet();
            List<String> staying = all.stream().filter(id -> !leaving.contains(id)).toList();
            List<String> members = staying.isEmpty() ? all : staying;
            ShardAssignment previous = decode(map.get(KEY));
            ShardAssignment next = ShardAssignment.assign(members, new TreeSet<>(localShards), previous);
            if (next.equals(previous)) return;
            map.put(KEY, encode(next));
            log.info("shard table: {} shards over {} members", next.owners().size(), members.size());
        } catch (RuntimeException e) {
            log.warn("could not rebalance the shard table (will retry on the next change)", e);
        }
    }

    /** @param always tell the listeners even of an unchanged table (after a merge "local" means another id) */
    private void accept(String encoded, boolean always) {
        ShardAssignment table = decode(encoded);
        if (table.equals(current) && !always) return;
        current = table;
        listeners.forEach(l -> l.accept(table));
    }

    static String encode(ShardAssignment table) {
        StringBuilder out = new StringBuilder();
        table.owners().forEach((shard, owner) -> out.append(shard).append('=').append(owner).append('\n'));
        return out.toString();
    }

    static ShardAssignment decode(String encoded) {
        if (encoded == null || encoded.isEmpty()) return ShardAssignment.empty();
        Map<ShardId, String> owners = new TreeMap<>();
        for (String line : encoded.split("\n")) {
            int eq = line.lastIndexOf('=');
            owners.put(ShardId.parse(line.substring(0, eq)), line.substring(eq + 1));
        }
        return ShardAssignment.of(owners);
    }

    @Override
    public void close() {
        if (member.isRunning()) {
            member.hazelcast().getCluster().removeMembershipListener(membershipRegistration);
            map.removeEntryListener(entryRegistration);
            draining.removeEntryListener(drainingRegistration);
        }
        worker.shutdownNow();
    }

    private final class Listener implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String> {
        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            worker.execute(() -> accept(event.getValue(), false));
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event) {
            worker.execute(() -> accept(event.getValue(), false));
        }
    }
}
