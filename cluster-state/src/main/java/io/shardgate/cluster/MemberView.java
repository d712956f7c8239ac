package io.shardgate.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's admitted members: the Hazelcast members that proved the {@link ClusterKey}, each with the ADS
 * address its proof names. Anyone who reaches the member port can join the Hazelcast cluster; only admitted
 * members are given shards, relayed to or counted as the shard table's writer.
 *
 * <p>Each node stores its {@link MemberProof} in a cluster map under its member id (again after a merge, when
 * the id is new, and whenever something else overwrites or deletes it). A proof once verified for a member id
 * stays valid while that member is in the cluster, so deleting it later changes nothing. The view is worked out
 * on one thread of its own; listeners are called there and must only hand work off. Storing this node's proof
 * and deleting departed members' proofs run on a second thread: after a member dies, an operation on a
 * partition it owned waits until Hazelcast has promoted the backups (half a second and more), and a view
 * waiting behind one learnt of the death that long after Hazelcast told it (chaos kills: the shard table's
 * writer 0.3 to 0.8 s after the other survivor, the table and every relayed client with it).
 */
public final class MemberView implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MemberView.class);
    static final String PROOFS = "shardgate.members";
    /** Also the longest a proof lost to a missed event goes unnoticed. */
    private static final long RECHECK_SECONDS = 5;
    /** An honest member stores its proof right after joining: only one unproven for longer is worth a warning. */
    private static final long WARN_AFTER_NANOS = TimeUnit.SECONDS.toNanos(RECHECK_SECONDS);

    public record Node(String id, String adsAddress) {}

    private final ClusterMember member;
    private final ClusterKey key;
    private final String clusterName;
    private final String adsAddress;
    /** Typed Object: whatever another member stored there arrives, not only strings. */
    private final IMap<String, Object> proofs;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "shardgate-member-view");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService proofKeeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "shardgate-member-proofs");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private final AtomicBoolean proofWorkQueued = new AtomicBoolean();
    private final List<Consumer<List<Node>>> listeners = new CopyOnWriteArrayList<>();
    private final UUID membershipRegistration;
    private final UUID proofsRegistration;
    // Owned by the worker thread.
    private Map<String, String> proven = Map.of();
    private final Map<String, Long> unprovenSince = new HashMap<>();
    private final Set<String> warned = new HashSet<>();
    // Published by the worker thread.
    private volatile Admitted admitted = new Admitted(List.of(), List.of(), 0);

    private record Admitted(List<Node> byId, List<String> oldestFirst, int unproven) {}

    /** @param adsAddress this node's ADS address ({@code host:port}), which other nodes relay streams to */
    public MemberView(ClusterMember member, ClusterKey key, String adsAddress) {
        this.member = member;
        this.key = key;
        this.clusterName = member.hazelcast().getConfig().getClusterName();
        this.adsAddress = adsAddress;
        this.proofs = member.hazelcast().getMap(PROOFS);
        this.membershipRegistration = member.hazelcast().getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                refreshSoon();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                refreshSoon();
            }
        });
        this.proofsRegistration = proofs.addEntryListener(new ProofListener(), false);
        member.onMerged(this::refreshSoon);
        try {
            proofKeeper.submit(() -> storeOwnProof(localId())).get(30, TimeUnit.SECONDS);
            worker.submit(this::refresh).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not store this member's proof of the cluster key", e);
        }
        worker.scheduleWithFixedDelay(this::refreshSoon, RECHECK_SECONDS, RECHECK_SECONDS, TimeUnit.SECONDS);
    }

    /** The admitted members, sorted by id. */
    public List<Node> nodes() {
        return admitted.byId();
    }

    /** True when {@code memberId} is an admitted member. */
    public boolean isAdmitted(String memberId) {
        return admitted.oldestFirst().contains(memberId);
    }

    /** The admitted members' ids, oldest first (Hazelcast's join order, the same on every member). */
    public List<String> oldestFirst() {
        return admitted.oldestFirst();
    }

    /** Hazelcast members that have not proven the cluster key (briefly, a node that has just joined). */
    public int unproven() {
        return admitted.unproven();
    }

    /** This node's id. */
    public String localId() {
        return member.localMember().getUuid().toString();
    }

    /** Called with the new admitted list after every change to it. */
    public Runnable onChange(Consumer<List<Node>> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void refreshSoon() {
        if (refreshQueued.compareAndSet(false, true)) {
            try {
                worker.execute(() -> {
                    refreshQueued.set(false);
                    refresh();
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                refreshQueued.set(false);
            }
        }
    }

    private void refresh() {
        try {
            if (!member.isRunning()) return;
            String self = localId();
            Map<String, String> next = new HashMap<>();
            List<String> oldestFirst = new ArrayList<>();
            int unproven = 0;
            for (Member m : member.members()) {
                String id = m.getUuid().toString();
                String address = m.isLiteMember() ? null
                        : id.equals(self) ? adsAddress : Optional.ofNullable(proven.get(id)).orElseGet(() -> readProof(id));
                if (address != null) {
                    next.put(id, address);
                    oldestFirst.add(id);
                    unprovenSince.remove(id);
                } else {
                    unproven++;
                    warnIfLasting(m);
                }
            }
            proven = next;
            List<Node> byId = next.entrySet().stream().map(e -> new Node(e.getKey(), e.getValue()))
                    .sorted(Comparator.comparing(Node::id)).toList();
            Admitted now = new Admitted(byId, List.copyOf(oldestFirst), unproven);
            Admitted before = admitted;
            admitted = now;
            if (!now.byId().equals(before.byId()) || !now.oldestFirst().equals(before.oldestFirst())) {
                logChanges(before.byId(), byId);
                listeners.forEach(l -> l.accept(byId));
            }
            forgetDeparted();
            keepProofsSoon();
        } catch (RuntimeException e) {
            log.warn("could not refresh the admitted members (will retry)", e);
        }
    }

    /**
     * On the proof keeper's thread: stores this node's proof again if something overwrote or deleted it, and, on the
     * oldest admitted member, deletes the proofs of members no longer in the cluster.
     */
    private void keepProofsSoon() {
        if (!proofWorkQueued.compareAndSet(false, true)) return;
        try {
            proofKeeper.execute(() -> {
                proofWorkQueued.set(false);
                try {
                    if (!member.isRunning()) return;
                    String self = localId();
                    storeOwnProof(self);
                    List<String> oldestFirst = admitted.oldestFirst();
                    if (!oldestFirst.isEmpty() && oldestFirst.get(0).equals(self)) deleteProofsExcept(members());
                } catch (RuntimeException e) {
                    log.debug("could not keep the stored proofs (will retry)", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            proofWorkQueued.set(false);
        }
    }

    private Set<String> members() {
        Set<String> members = new HashSet<>();
        member.members().forEach(m -> members.add(m.getUuid().toString()));
        return members;
    }

    /** Says who joined or left (the chaos harness reads "left the cluster" to time failure detection). */
    private static void logChanges(List<Node> before, List<Node> now) {
        Set<Node> left = new HashSet<>(before);
        now.forEach(left::remove);
        Set<Node> joined = new HashSet<>(now);
        before.forEach(joined::remove);
        for (Node n : left) log.info("member {} (ADS {}) left the cluster: {} admitted", n.id(), n.adsAddress(), now.size());
        for (Node n : joined) log.info("member {} (ADS {}) admitted: {} admitted", n.id(), n.adsAddress(), now.size());
    }

    private void storeOwnProof(String self) {
        String mine = MemberProof.sign(key, clusterName, self, adsAddress).text();
        Object stored;
        try {
            stored = proofs.get(self);
        } catch (RuntimeException unreadable) {
            stored = null; // something else stored an object there: overwrite it
        }
        if (!mine.equals(stored)) proofs.set(self, mine);
    }

    private String readProof(String memberId) {
        try {
            return MemberProof.verify(key, clusterName, memberId, proofs.get(memberId)).orElse(null);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** Drops what is kept of members no longer in the cluster. */
    private void forgetDeparted() {
        Set<String> members = members();
        unprovenSince.keySet().retainAll(members);
        warned.retainAll(members);
    }

    /** Deletes the proofs of members that left, and those a merge brought in under ids that no longer exist. */
    private void deleteProofsExcept(Set<String> members) {
        try {
            for (Object stored : (Set<?>) proofs.keySet()) {
                if (!members.contains(stored)) proofs.delete(stored);
            }
        } catch (RuntimeException e) {
            log.debug("could not delete departed members' proofs", e);
        }
    }

    private void warnIfLasting(Member m) {
        String id = m.getUuid().toString();
        long since = unprovenSince.computeIfAbsent(id, k -> System.nanoTime());
        if (System.nanoTime() - since > WARN_AFTER_NANOS && warned.add(id)) {
            log.warn("member {} at {} has not proven the cluster key: it gets no shard, no stream is relayed to it and"
                    + " what it writes is ignored (a process that is not a Shardgate node, or a node started with another"
                    + " cluster key)", id, m.getAddress());
        }
    }

    @Override
    public void close() {
        if (member.isRunning()) {
            member.hazelcast().getCluster().removeMembershipListener(membershipRegistration);
            proofs.removeEntryListener(proofsRegistration);
        }
        worker.shutdownNow();
        proofKeeper.shutdownNow();
    }

    private final class ProofListener implements EntryAddedListener<String, Object>, EntryUpdatedListener<String, Object>,
            EntryRemovedListener<String, Object>, EntryEvictedListener<String, Object> {
        @Override
        public void entryAdded(com.hazelcast.core.EntryEvent<String, Object> event) {
            refreshSoon();
        }

        @Override
        public void entryUpdated(com.hazelcast.core.EntryEvent<String, Object> event) {
            refreshSoon();
        }

        @Override
        public void entryRemoved(com.hazelcast.core.EntryEvent<String, Object> event) {
            refreshSoon();
        }

        @Override
        public void entryEvicted(com.hazelcast.core.EntryEvent<String, Object> event) {
            refreshSoon();
        }
    }
}
