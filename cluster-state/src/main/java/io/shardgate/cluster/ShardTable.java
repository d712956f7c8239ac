package io.shardgate.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.shardgate.cluster.SignedShardTable.Absent;
import io.shardgate.cluster.SignedShardTable.Reading;
import io.shardgate.cluster.SignedShardTable.Rejected;
import io.shardgate.cluster.SignedShardTable.Verified;
import io.shardgate.sharding.ShardAssignment;
import io.shardgate.sharding.ShardId;
import io.shardgate.sharding.Watermark;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide shard table: which admitted member owns which shard. Exactly one member writes it, the
 * oldest admitted member ({@link MemberView}: Hazelcast's join order, the same on every member); the others
 * only read. The writer recomputes it with {@link ShardAssignment#assign} from the previous table whenever the
 * admitted members or its set of shards change, so a change moves only the shards it must.
 *
 * <p>Anything on the cluster channel can write the map entry, so the writer signs every table
 * ({@link SignedShardTable}) and every member uses only a table that verifies and is not older than the one it
 * holds. Anything else there counts as no table: members keep the last table they verified (a rogue's write
 * moves nothing), and the writer writes a good one at once (then at most once per {@link #REPAIR_INTERVAL}
 * while something keeps overwriting it). Owners that are not admitted members own nothing: their shards are
 * unplaced until the writer places them.
 *
 * <p>Make-before-break: a member is given shards only once it says its sources have synced ({@link ReadyMarks}),
 * and a shard whose owner is alive and serving moves in steps: the table names the new member as its incoming
 * member, which translates it; once that member says it is ready for it, the next table makes it the owner, and
 * only then does the old owner stop serving it. A shard whose owner left or stopped serving (no mark: fenced
 * after a pause) goes to its new owner at once: nobody serves it meanwhile anyway.
 *
 * <p>Work runs on one thread of its own, never on Hazelcast's event threads.
 */
public final class ShardTable implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShardTable.class);
    static final String MAP = "shardgate.shard-table";
    static final String KEY = "table";
    /** Members about to leave (SIGTERM): the writer places no shard on them. Values are signed marks. */
    static final String DRAINING = "shardgate.draining";
    /**
     * How long a member that took a shard over from a serving member may hold back new streams of it while it catches
     * up with what that member sent (see {@link #catchingUp}); after it, streams are served anyway.
     */
    public static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(4);
    private final Duration catchUpLimit;
    /**
     * How often every member reads the table and the marks again whatever its events said. Hazelcast does not promise
     * to deliver map events ("events are not highly available and may get lost", notably while partitions migrate on a
     * join), and a read can fail mid-migration: without this, a member that missed the newcomer's mark kept serving a
     * shard the table had moved, until some other mark changed (a minute, in a loaded CI run).
     */
    static final Duration RESYNC_INTERVAL = Duration.ofSeconds(1);
    /** How often the writer rewrites a table something else keeps overwriting (the first time: at once). */
    static final Duration REPAIR_INTERVAL = Duration.ofSeconds(1);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ClusterMember member;
    private final MemberView view;
    private final ClusterKey key;
    private final String clusterName;
    /** Typed Object: whatever another member stored there arrives, not only strings. */
    private final IMap<String, Object> map;
    private final IMap<String, Object> draining;
    private final ReadyMarks marks;
    private final UUID marksRegistration;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "shardgate-shard-table");
        t.setDaemon(true);
        return t;
    });
    private final List<Consumer<ShardAssignment>> listeners = new CopyOnWriteArrayList<>();
    private final Map<TableRejection, AtomicLong> rejections = new EnumMap<>(TableRejection.class);
    private final UUID membershipRegistration;
    private final UUID entryRegistration;
    private final UUID drainingRegistration;
    private final Runnable stopViewing;
    private final AtomicBoolean tableQueued = new AtomicBoolean();
    private final AtomicBoolean rebalanceQueued = new AtomicBoolean();
    private final AtomicBoolean marksQueued = new AtomicBoolean();
    /** Tests: stands for Hazelcast losing this member's map events. */
    private volatile boolean losingEvents;
    // Owned by the worker thread.
    /** Written by the worker thread only; volatile because {@link #foresee} reads it from the departure events. */
    private volatile SignedShardTable verified;
    private long lastRepair = System.nanoTime() - REPAIR_INTERVAL.toNanos();
    private boolean repairScheduled;
    private long lastWarning = System.nanoTime() - WARN_INTERVAL_NANOS;
    private long unwarned;
    // Published by the worker thread.
    private volatile ShardAssignment current = ShardAssignment.empty();
    private volatile ShardAssignment incoming = ShardAssignment.empty();
    /** What this member last declared (null: not synced, or fenced); written again under a new id after a merge. */
    private volatile java.util.SortedSet<ShardId> declared;
    private volatile Watermark declaredWatermark = Watermark.NONE;
    /** How far this member has applied its sources, as its engine last said (written to the mark only when moving). */
    private volatile Watermark appliedWatermark = Watermark.NONE;
    /** Shards this member took over from another serving member: from whom, and when (nanoTime). */
    private final Map<ShardId, TakeOver> takenOver = new java.util.concurrent.ConcurrentHashMap<>();
    /** Shards of a member that left which the next table will most likely give this member ({@link #foresee}). */
    private volatile Set<ShardId> foreseen = Set.of();
    private final Object foresight = new Object();
    private final List<Runnable> foresightListeners = new CopyOnWriteArrayList<>();

    private record TakeOver(String from, long atNanos) {}
    private volatile Set<ShardId> localShards = Set.of();

    public ShardTable(ClusterMember member, MemberView view, ClusterKey key) {
        this(member, view, key, CATCH_UP_LIMIT);
    }

    ShardTable(ClusterMember member, MemberView view, ClusterKey key, Duration catchUpLimit) {
        this.catchUpLimit = catchUpLimit;
        this.member = member;
        this.view = view;
        this.key = key;
        this.clusterName = member.hazelcast().getConfig().getClusterName();
        for (TableRejection r : TableRejection.values()) rejections.put(r, new AtomicLong());
        this.map = member.hazelcast().getMap(MAP);
        this.entryRegistration = map.addEntryListener(new Listener(), KEY, false);
        this.draining = member.hazelcast().getMap(DRAINING);
        this.drainingRegistration = draining.addEntryListener(
                (EntryAddedListener<String, Object>) event -> {
                    if (!losingEvents) rebalanceSoon();
                }, false);
        this.marks = new ReadyMarks(member.hazelcast().getMap(ReadyMarks.MAP), key, clusterName);
        this.marksRegistration = marks.listen(this::marksChanged);
        this.membershipRegistration = member.hazelcast().getCluster().addMembershipListener(
                new com.hazelcast.cluster.MembershipListener() {
                    @Override
                    public void memberAdded(com.hazelcast.cluster.MembershipEvent event) {}

                    @Override
                    public void memberRemoved(com.hazelcast.cluster.MembershipEvent event) {
                        // Before anything queued on the worker, which may be waiting on the dead member's partitions.
                        refreshForesight();
                        run(() -> forgetDraining(event.getMember().getUuid().toString()));
                    }
                });
        this.stopViewing = view.onChange(nodes -> {
            refreshForesight();
            run(() -> {
                publish(false);
                // Whether a shard taken over is still being caught up on depends on who is in the cluster.
                if (!takenOver.isEmpty()) tell();
            });
            rebalanceSoon();
        });
        // After a merge the member id is new and the table is the larger cluster's (with its own sequence).
        member.onMerged(() -> run(() -> {
            if (!member.isRunning()) return;
            verified = null;
            writeDeclared();
            marks.reload();
            readTable();
            publish(true);
            rebalanceIfWriter();
        }));
        run(() -> {
            marks.reload();
            readTable();
        });
        worker.scheduleWithFixedDelay(() -> run(this::resync), RESYNC_INTERVAL.toMillis(), RESYNC_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * What an event may have missed: marks changed, a newer table, a rebalance. Values that are not a newer verified
     * table are left to the events, which count them as rejected once.
     */
    private void resync() {
        if (!member.isRunning()) return;
        if (marks.reload()) tell();
        if (readStored() instanceof Verified v && (verified == null || v.table().sequence() > verified.sequence())) {
            verified = v.table();
            publish(false);
        }
        rebalanceIfWriter();
    }

    /** Tests: while true, this member's table, mark and draining events are dropped, as Hazelcast may drop them. */
    void loseEvents(boolean losing) {
        losingEvents = losing;
    }

    /** This member's id, as the table names owners. */
    public String localId() {
        return member.localMember().getUuid().toString();
    }

    /** The latest verified table this member holds, without owners that are not admitted members. */
    public ShardAssignment current() {
        return current;
    }

    /**
     * Shards of a member that has left which the writer's next table will most likely give this member: it may
     * translate them ahead of that table, and does not list them as ready until the table gives them.
     */
    public Set<ShardId> foreseenHere() {
        return foreseen;
    }

    /**
     * True while a shard this member is ready for waits to move here only because this member has not read some input
     * stream as far as the shard's owner: an informer that listed before the owner's did, on a stream where nothing
     * changed since, can never show it has seen all the owner has (a merge, or the graceful leave of a newer member).
     * Listing its sources again brings its positions past the owner's.
     */
    public boolean behindAnOwnerOfAnIncomingShard() {
        String self = localId();
        java.util.SortedSet<ShardId> ready = declared;
        if (ready == null) return false;
        for (ShardId shard : incoming.shardsOf(self)) {
            String owner = current.ownerOf(shard).orElse(null);
            if (owner == null || owner.equals(self) || !ready.contains(shard)) continue;
            if (!declaredWatermark.covers(marks.watermarkOf(owner))) return true;
        }
        return false;
    }

    /** The shards moving to this member: it translates them, and owns them once it said it is ready for them. */
    public Set<ShardId> incomingHere() {
        return incoming.shardsOf(localId());
    }

    /**
     * What this member can serve: {@code ready} is null while its sources have not synced or it must not be given
     * shards (fenced after a pause), else the shards it has translated completely. The writer gives it shards only
     * after the first, and moves an incoming shard onto it once it is listed.
     */
    public void declare(Collection<ShardId> ready) {
        declare(ready, declaredWatermark);
    }

    /**
     * As {@link #declare(Collection)}, with how far this member has read its sources. The mark is written again
     * when the ready set changes, and for a new watermark only while a shard moves to or from this member (the
     * writer compares the two members' watermarks before it flips the owner).
     */
    public void declare(Collection<ShardId> ready, Watermark watermark) {
        java.util.SortedSet<ShardId> next = ready == null ? null : new TreeSet<>(ready);
        appliedWatermark = watermark;
        run(() -> {
            // Translated ahead of the table and not given yet: listed, the writer would count this member as holding it.
            // One listed already stays (after a merge this member serves it until the table names a serving owner).
            if (next != null) {
                String self = localId();
                foreseen.forEach(s -> {
                    boolean given = current.ownerOf(s).map(self::equals).orElse(false);
                    if (!given && (declared == null || !declared.contains(s))) next.remove(s);
                });
            }
            boolean sameReady = java.util.Objects.equals(next, declared);
            if (sameReady && (watermark.equals(declaredWatermark) || !moving())) return;
            declared = next;
            declaredWatermark = watermark;
            writeDeclared();
        });
    }

    /** A shard is moving to this member, or from it to another, or was taken over a moment ago. */
    private boolean moving() {
        String self = localId();
        return !takenOver.isEmpty() || incoming.owners().entrySet().stream().anyMatch(e ->
                e.getValue().equals(self) || current.ownerOf(e.getKey()).map(self::equals).orElse(false));
    }

    private void writeDeclared() {
        if (!member.isRunning()) return;
        java.util.SortedSet<ShardId> now = declared;
        if (now == null) marks.delete(localId()); else marks.write(localId(), now, declaredWatermark);
    }

    /** Called (on the table's thread) with every new table, or a change of its incoming shards. */
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
        rebalanceSoon();
    }

    /** How many of the shards this member knows of have no admitted owner in {@link #current()}. */
    public int unplaced() {
        ShardAssignment table = current;
        return (int) localShards.stream().filter(s -> table.ownerOf(s).isEmpty()).count();
    }

    /** Values found where the table belongs and not used, since start, for one reason. */
    public long rejected(TableRejection reason) {
        return rejections.get(reason).get();
    }

    /**
     * Asks the writer to move every shard of this member to the others (a graceful leave): the table changes,
     * the new owners translate them, and this member owns nothing when {@link #current()} says so.
     *
     * @return false when no other member stays to take them (nothing is asked then)
     */
    public boolean drain() {
        String self = localId();
        boolean someoneStays = view.oldestFirst().stream()
                .anyMatch(id -> !id.equals(self) && !isDraining(id));
        if (someoneStays) draining.set(self, key.sign(drainingMark(self)));
        return someoneStays;
    }

    /** True while this member is the table's writer (the oldest admitted member). */
    public boolean isWriter() {
        List<String> admitted = view.oldestFirst();
        return !admitted.isEmpty() && admitted.get(0).equals(localId());
    }

    /** Reads the stored table once for any number of changes to it since the last read. */
    private void tableChanged() {
        if (losingEvents) return;
        if (tableQueued.compareAndSet(false, true)) {
            run(() -> {
                tableQueued.set(false);
                readTable();
            });
        }
    }

    /** One read of the marks for any number of changes to them since the last read. */
    private void marksChanged() {
        if (losingEvents) return;
        if (marksQueued.compareAndSet(false, true)) {
            run(() -> {
                marksQueued.set(false);
                if (marks.reload()) tell();
                rebalanceIfWriter();
            });
        }
    }

    /** One rebalance for any number of reasons to rebalance since the last one. */
    private void rebalanceSoon() {
        if (rebalanceQueued.compareAndSet(false, true)) {
            run(() -> {
                rebalanceQueued.set(false);
                rebalanceIfWriter();
            });
        }
    }

    private void run(Runnable work) {
        try {
            worker.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    if (member.isRunning()) log.warn("shard table work failed (read again within {})", RESYNC_INTERVAL, e);
                }
            });
        } catch (RejectedExecutionException closed) {
            // closing
        }
    }

    private String drainingMark(String memberId) {
        return "shardgate draining v1\n" + clusterName + "\n" + memberId;
    }

    private boolean isDraining(String memberId) {
        try {
            return draining.get(memberId) instanceof String mark && key.verifies(drainingMark(memberId), mark);
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    private void forgetDraining(String memberId) {
        if (member.isRunning() && isWriter()) {
            draining.delete(memberId);
            marks.delete(memberId);
        }
        rebalanceIfWriter();
    }

    /**
     * Deletes the marks of members no longer in the cluster: a crashed member's is otherwise left behind whenever
     * the member that saw it leave was not yet the writer (the writer itself had died), and a merge leaves those of
     * the merged side's old ids.
     */
    private void forgetMarksOfNonMembers() {
        Set<String> members = new java.util.HashSet<>();
        member.members().forEach(m -> members.add(m.getUuid().toString()));
        for (String id : marks.known().keySet()) {
            if (!members.contains(id)) marks.delete(id);
        }
    }

    private Reading readStored() {
        try {
            return SignedShardTable.read(map.get(KEY), key, clusterName);
        } catch (RuntimeException refused) {
            return new Rejected(TableRejection.NOT_TEXT);
        }
    }

    /** Reads the stored table and takes it if it verifies and is not older than the one held. */
    private void readTable() {
        Reading reading = readStored();
        if (reading instanceof Verified v) {
            if (verified == null || v.table().sequence() >= verified.sequence()) {
                verified = v.table();
                publish(false);
            } else {
                reject(TableRejection.STALE); // an old table written back
            }
        } else if (reading instanceof Rejected r) {
            reject(r.reason());
        } else if (verified != null) {
            reject(TableRejection.DELETED);
        }
        rebalanceIfWriter();
    }

    /** @param always tell the listeners even of an unchanged table (after a merge "local" means another id) */
    private void publish(boolean always) {
        ShardAssignment table = verified == null ? ShardAssignment.empty() : admittedOwnersOnly(verified.assignment());
        ShardAssignment moving = verified == null ? ShardAssignment.empty() : admittedOwnersOnly(verified.incoming());
        if (table.equals(current) && moving.equals(incoming) && !always) return;
        noteTakeOvers(current, table);
        current = table;
        incoming = moving;
        tell();
    }

    /** Tells the listeners of the table held, with what this member foresees from it. */
    private void tell() {
        refreshForesight();
        listeners.forEach(l -> l.accept(current));
    }

    /** Any thread: works out what this member foresees now, and tells the foresight listeners when that changed. */
    private void refreshForesight() {
        boolean changed;
        synchronized (foresight) {
            Set<ShardId> next;
            try {
                next = member.isRunning() ? foresee() : Set.of();
            } catch (RuntimeException stopping) {
                next = Set.of(); // Hazelcast shutting down under a departure event: nothing to foresee any more
            }
            changed = !next.equals(foreseen);
            foreseen = next;
        }
        if (changed) foresightListeners.forEach(Runnable::run);
    }

    /**
     * Called, on any thread, whenever {@link #foreseenHere} changes: after a member leaves, before the table that
     * places its shards (the table's own listeners hear of it with the next table).
     */
    public Runnable onForesight(Runnable listener) {
        foresightListeners.add(listener);
        return () -> foresightListeners.remove(listener);
    }

    private ShardAssignment admittedOwnersOnly(ShardAssignment table) {
        Map<ShardId, String> owners = new TreeMap<>();
        table.owners().forEach((shard, owner) -> {
            if (view.isAdmitted(owner)) owners.put(shard, owner);
        });
        return owners.size() == table.owners().size() ? table : ShardAssignment.of(owners);
    }

    private void reject(TableRejection reason) {
        rejections.get(reason).incrementAndGet();
        unwarned++;
        if (System.nanoTime() - lastWarning >= WARN_INTERVAL_NANOS) {
            log.warn("ignored {} value(s) where the shard table belongs, the latest {}; this node keeps the last table"
                    + " it verified{}", unwarned, reason.meaning(), isWriter() ? " and rewrites it" : "");
            lastWarning = System.nanoTime();
            unwarned = 0;
        }
    }

    private void rebalanceIfWriter() {
        if (!member.isRunning() || !isWriter()) return;
        Reading stored = readStored();
        // A newer table of the previous writer this member has not been told of yet is the one to build on.
        if (stored instanceof Verified v && (verified == null || v.table().sequence() > verified.sequence())) {
            verified = v.table();
            publish(false);
        }
        List<String> admitted = view.oldestFirst();
        forgetMarksOfNonMembers();
        Map<String, Set<ShardId>> ready = readyMarksOf(admitted);
        List<String> serving = admitted.stream().filter(ready::containsKey).toList();
        ShardAssignment previous = verified == null ? ShardAssignment.empty() : verified.assignment();
        ShardAssignment target = target(verified, serving, serving.stream().filter(id -> !isDraining(id)).toList(), ready);
        Handover handover = handover(previous, target, ready, marks::watermarkOf);
        Map<ShardId, String> owners = handover.owners();
        Map<ShardId, String> moving = handover.moving();
        if (serving.isEmpty()) {
            previous.owners().forEach((shard, owner) -> { if (view.isAdmitted(owner)) owners.put(shard, owner); });
        }
        ShardAssignment next = ShardAssignment.of(owners);
        ShardAssignment nextIncoming = ShardAssignment.of(moving);
        TreeSet<String> members = new TreeSet<>(admitted);
        boolean storedIsHeld = stored instanceof Verified v && v.table().equals(verified);
        if (storedIsHeld && verified.assignment().equals(next) && verified.incoming().equals(nextIncoming)
                && verified.members().equals(members)) return;
        if (stored instanceof Absent && verified == null && next.owners().isEmpty()) return; // nothing to place yet
        boolean repair = !storedIsHeld && verified != null;
        if (repair && !mayRepairNow()) return;
        SignedShardTable table = new SignedShardTable(verified == null ? 1 : verified.sequence() + 1, members, next,
                nextIncoming);
        // What it gives itself of a gone member's shards is known now: translated while the table is being written.
        Set<ShardId> givenHere = orphanedAmong(verified, inTheCluster(admitted), next.shardsOf(localId()));
        boolean changed;
        synchronized (foresight) {
            changed = !givenHere.isEmpty() && !givenHere.equals(foreseen);
            if (changed) foreseen = givenHere;
        }
        if (changed) foresightListeners.forEach(Runnable::run);
        map.set(KEY, table.sign(key, clusterName));
        verified = table;
        publish(false);
        if (repair) {
            log.info("shard table rewritten over a value that was not the current table (sequence {})", table.sequence());
        } else {
            log.info("shard table {}: {} shards over {} members, {} moving to a member still translating them",
                    table.sequence(), next.owners().size(), serving.size(), moving.size());
        }
    }

    /** The shards each admitted member says it holds translated, as this member last read the marks. */
    private Map<String, Set<ShardId>> readyMarksOf(List<String> admitted) {
        Map<String, Set<ShardId>> ready = new TreeMap<>(marks.known());
        ready.keySet().retainAll(admitted);
        return ready;
    }

    /** Where the writer sends each shard: balanced over the members staying (all serving ones when none stays). */
    private ShardAssignment target(SignedShardTable table, List<String> serving, List<String> staying,
            Map<String, Set<ShardId>> ready) {
        return serving.isEmpty() ? ShardAssignment.empty() : ShardAssignment.assign(
                staying.isEmpty() ? serving : staying, new TreeSet<>(localShards), headedFor(table, ready));
    }

    /**
     * The shards whose owner in the table has left the cluster and which the writer's next table will most likely
     * give this member: the same assignment, from the same table, members and marks, but without asking who is
     * draining (a read of a map whose partitions may be migrating away from the member that just died). The engine
     * translates them at once, while the writer is still writing the table, and keeps them out of this member's
     * mark until the table gives them (so a wrong guess costs translation only, never a placement or a stream).
     */
    private Set<ShardId> foresee() {
        SignedShardTable table = verified;
        String self = localId();
        List<String> members = inTheCluster(view.oldestFirst());
        if (table == null || !members.contains(self)) return Set.of();
        // Most calls come with a table whose owners are all here: no assignment computed for them.
        if (orphanedAmong(table, members, table.assignment().owners().keySet()).isEmpty()) return Set.of();
        Map<String, Set<ShardId>> ready = readyMarksOf(members);
        if (!ready.containsKey(self)) return Set.of();
        List<String> serving = members.stream().filter(ready::containsKey).toList();
        return orphanedAmong(table, members, target(table, serving, serving, ready).shardsOf(self));
    }

    /**
     * The admitted members Hazelcast still counts as members: it tells of a departure before the member view has
     * caught up with it.
     */
    private List<String> inTheCluster(List<String> admitted) {
        Set<String> members = new java.util.HashSet<>();
        member.members().forEach(m -> members.add(m.getUuid().toString()));
        return admitted.stream().filter(members::contains).toList();
    }

    /** Of the given shards, those whose owner in the table is not among {@code members} (it has left the cluster). */
    private static Set<ShardId> orphanedAmong(SignedShardTable table, List<String> members, Set<ShardId> shards) {
        if (table == null) return Set.of();
        Set<ShardId> orphaned = new TreeSet<>();
        for (ShardId shard : shards) {
            if (table.assignment().ownerOf(shard).filter(owner -> !members.contains(owner)).isPresent()) orphaned.add(shard);
        }
        return Set.copyOf(orphaned);
    }

    /** Who owns each shard in the next table, and which shards are on their way to another member. */
    record Handover(Map<ShardId, String> owners, Map<ShardId, String> moving) {}

    /**
     * Make-before-break: a shard goes to its target member at once only when no serving member holds it, or the
     * target is ready for it and its watermark covers the member serving it (has seen all that member has); otherwise that
     * member keeps it and the target is named incoming. The member serving it is its owner in the previous table,
     * or, when that owner no longer serves (gone, fenced, or given a new member id by a merge), {@link #holderOf}:
     * so after a merge the node that served a shard through the split keeps it until its target has caught up.
     *
     * @param ready the shards each serving member says it holds translated
     */
    static Handover handover(ShardAssignment previous, ShardAssignment target, Map<String, Set<ShardId>> ready,
            Function<String, Watermark> watermark) {
        Map<ShardId, String> owners = new TreeMap<>();
        Map<ShardId, String> moving = new TreeMap<>();
        target.owners().forEach((shard, to) -> {
            String from = previous.ownerOf(shard).filter(ready::containsKey).orElseGet(() -> holderOf(shard, ready, watermark));
            if (from == null || from.equals(to)
                    || (ready.get(to).contains(shard) && watermark.apply(to).covers(watermark.apply(from)))) {
                owners.put(shard, to);
            } else {
                owners.put(shard, from); // served by its owner until the new one is ready for it
                moving.put(shard, to);
            }
        });
        return new Handover(owners, moving);
    }

    /**
     * The member taken to hold a shard whose member in the table does not serve: of the serving members that say they
     * hold it translated, the one whose watermark is ahead of the others' (the lowest id when none is ahead of it);
     * null when none does.
     */
    static String holderOf(ShardId shard, Map<String, Set<ShardId>> ready, Function<String, Watermark> watermark) {
        String furthest = null;
        for (Map.Entry<String, Set<ShardId>> e : ready.entrySet()) {
            if (e.getValue().contains(shard) && (furthest == null || watermark.apply(e.getKey()).isAheadOf(watermark.apply(furthest)))) {
                furthest = e.getKey();
            }
        }
        return furthest;
    }

    /**
     * Where each shard is headed, as the assignment's previous: the table's target, except that a shard whose
     * member there does not serve (gone, or without a mark) is taken to {@link #holderOf its holder}. So after a
     * merge, or a pause of the table's owner, a shard stays with whoever still holds it translated.
     */
    private ShardAssignment headedFor(SignedShardTable table, Map<String, Set<ShardId>> ready) {
        Map<ShardId, String> headed = new TreeMap<>(table == null ? Map.of() : table.target().owners());
        Set<ShardId> held = new TreeSet<>();
        ready.values().forEach(held::addAll);
        for (ShardId shard : held) {
            String there = headed.get(shard);
            if (there == null || !ready.containsKey(there)) headed.put(shard, holderOf(shard, ready, marks::watermarkOf));
        }
        return ShardAssignment.of(headed);
    }

    /**
     * True when the shard's owner in the table is not serving it (gone, fenced, still loading) and this member says
     * it holds the shard translated: it may serve the shard until the table names a serving owner. After a merge
     * (new member id) or a pause of the owner, this keeps a node from dropping what it serves while the writer
     * catches up.
     */
    public boolean servesInTheMeantime(ShardId shard) {
        java.util.SortedSet<ShardId> mine = declared;
        if (mine == null || !mine.contains(shard)) return false;
        Optional<String> owner = current.ownerOf(shard);
        return owner.isEmpty() || !marks.known().containsKey(owner.get());
    }

    /** Shards this member takes over from a serving member are caught up on ({@link #catchingUp}). */
    private void noteTakeOvers(ShardAssignment before, ShardAssignment after) {
        String self = localId();
        long now = System.nanoTime();
        for (ShardId shard : after.shardsOf(self)) {
            Optional<String> previous = before.ownerOf(shard);
            if (previous.isPresent() && !previous.get().equals(self) && marks.known().containsKey(previous.get())
                    && view.isAdmitted(previous.get())) {
                takenOver.put(shard, new TakeOver(previous.get(), now));
            }
        }
        if (!takenOver.isEmpty()) {
            worker.schedule(() -> {
                takenOver.values().removeIf(t -> System.nanoTime() - t.atNanos() >= catchUpLimit.toNanos());
                tell();
            }, catchUpLimit.toMillis() + 1, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * True while this member owns a shard it took over a moment ago (within {@link #CATCH_UP_LIMIT}) from a member that
     * may still have sent more of it than this member has read: until that member's mark no longer lists the shard
     * (it stopped translating, so stopped sending it, and its watermark then covers all it sent) and this member has
     * read its sources at least as far. New streams of the shard wait meanwhile.
     */
    public boolean catchingUp(ShardId shard) {
        TakeOver t = takenOver.get(shard);
        if (t == null || System.nanoTime() - t.atNanos() >= catchUpLimit.toNanos()) return false;
        return catchingUp(shard, view.isAdmitted(t.from()), marks.known().getOrDefault(t.from(), Set.of()), appliedWatermark,
                marks.watermarkOf(t.from()));
    }

    /**
     * The rule of {@link #catchingUp(ShardId)}: the member the shard was taken from may still send it while it is
     * in the cluster and its mark lists it, and may have sent more than this member has read until this member's
     * watermark covers its mark's. A member that has left (crashed) sends nothing more, whatever its last mark,
     * which nobody rewrites: waiting for that mark to change held a crashed node's clients for the whole limit.
     */
    static boolean catchingUp(ShardId shard, boolean fromInCluster, Set<ShardId> fromMark, Watermark applied,
            Watermark fromWatermark) {
        return (fromInCluster && fromMark.contains(shard)) || !applied.covers(fromWatermark);
    }

    /** Every member's verified mark, as this member last read them (for tests). */
    Map<String, Set<ShardId>> knownMarks() {
        return marks.known();
    }

    /** How far a member has read its sources, as its mark says (what the writer compares before a flip). */
    Watermark watermarkOf(String memberId) {
        return marks.watermarkOf(memberId);
    }

    /** At once the first time; while something keeps overwriting the table, once per interval. */
    private boolean mayRepairNow() {
        long wait = lastRepair + REPAIR_INTERVAL.toNanos() - System.nanoTime();
        if (wait <= 0) {
            lastRepair = System.nanoTime();
            return true;
        }
        if (!repairScheduled) {
            repairScheduled = true;
            worker.schedule(() -> {
                repairScheduled = false;
                rebalanceSoon();
            }, wait, TimeUnit.NANOSECONDS);
        }
        return false;
    }

    @Override
    public void close() {
        stopViewing.run();
        if (member.isRunning()) {
            member.hazelcast().getCluster().removeMembershipListener(membershipRegistration);
            map.removeEntryListener(entryRegistration);
            draining.removeEntryListener(drainingRegistration);
            marks.stopListening(marksRegistration);
            try {
                marks.delete(localId());
            } catch (RuntimeException leaving) {
                // the member is going; its mark goes with it (the writer reads marks of admitted members only)
            }
        }
        worker.shutdownNow();
    }

    /** Rogues can write as fast as they like: events only mark the table for one read. */
    private final class Listener implements EntryAddedListener<String, Object>, EntryUpdatedListener<String, Object>,
            EntryRemovedListener<String, Object> {
        @Override
        public void entryAdded(EntryEvent<String, Object> event) {
            tableChanged();
        }

        @Override
        public void entryUpdated(EntryEvent<String, Object> event) {
            tableChanged();
        }

        @Override
        public void entryRemoved(EntryEvent<String, Object> event) {
            tableChanged();
        }
    }
}
