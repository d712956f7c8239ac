package io.shardgate.sharding;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which member owns which shard. Computed by {@link #assign}, a pure function: every node that passes the
 * same members, shards and previous assignment gets the same result, whatever the order of its inputs.
 *
 * <p>Every member owns floor(S/N) or ceil(S/N) of the S shards (N members), and a change of members or shards
 * moves the fewest shards that keep that bound. That needs the previous assignment: see docs/sharding.md
 * ("Shard to node") for why a stateless function cannot do it, and for the exact algorithm.
 */
public final class ShardAssignment {
    private static final ShardAssignment EMPTY = new ShardAssignment(new TreeMap<>());

    private final SortedMap<ShardId, String> owners;

    private ShardAssignment(SortedMap<ShardId, String> owners) {
        this.owners = Collections.unmodifiableSortedMap(owners);
    }

    /** No shard owned: the previous assignment of a cluster that has never assigned (cold start). */
    public static ShardAssignment empty() {
        return EMPTY;
    }

    /** An assignment read back as stored (for example from the cluster-wide shard table). */
    public static ShardAssignment of(Map<ShardId, String> owners) {
        owners.forEach((shard, member) -> {
            Objects.requireNonNull(shard, "shard");
            Objects.requireNonNull(member, "owner of " + shard);
        });
        return new ShardAssignment(new TreeMap<>(owners));
    }

    /**
     * Assigns every shard to one of the members, moving as few shards away from their {@code previous} owner as
     * the balance bound allows. Duplicates in the inputs are ignored; shards of {@code previous} that are not in
     * {@code shards} are dropped, and so are owners that are not in {@code members}.
     *
     * @param members stable member ids (Hazelcast member UUIDs), in any order; must not be empty unless
     *                {@code shards} is
     * @param shards every shard of every gateway, in any order
     * @param previous the assignment in force, or {@link #empty()} on cold start
     */
    public static ShardAssignment assign(Collection<String> members, Collection<ShardId> shards, ShardAssignment previous) {
        return new ShardAssignment(MinimalMoveRebalance.compute(new TreeSet<>(members), new TreeSet<>(shards), previous));
    }

    /**
     * Per member, the shards it gains and loses going from {@code before} to {@code after}: the ownership
     * changes a node reacts to. Members with no change are absent. A shard present on one side only counts as
     * gained (or lost) by its single owner.
     */
    public static SortedMap<String, OwnershipChange> diff(ShardAssignment before, ShardAssignment after) {
        SortedMap<String, SortedSet<ShardId>> gained = new TreeMap<>();
        SortedMap<String, SortedSet<ShardId>> lost = new TreeMap<>();
        SortedSet<ShardId> allShards = new TreeSet<>(before.owners.keySet());
        allShards.addAll(after.owners.keySet());
        for (ShardId shard : allShards) {
            String oldOwner = before.owners.get(shard);
            String newOwner = after.owners.get(shard);
            if (Objects.equals(oldOwner, newOwner)) continue;
            if (oldOwner != null) lost.computeIfAbsent(oldOwner, m -> new TreeSet<>()).add(shard);
            if (newOwner != null) gained.computeIfAbsent(newOwner, m -> new TreeSet<>()).add(shard);
        }
        SortedSet<String> changedMembers = new TreeSet<>(gained.keySet());
        changedMembers.addAll(lost.keySet());
        SortedMap<String, OwnershipChange> changes = new TreeMap<>();
        for (String member : changedMembers) {
            changes.put(member, new OwnershipChange(member,
                    gained.getOrDefault(member, Collections.emptySortedSet()),
                    lost.getOrDefault(member, Collections.emptySortedSet())));
        }
        return Collections.unmodifiableSortedMap(changes);
    }

    public Optional<String> ownerOf(ShardId shard) {
        return Optional.ofNullable(owners.get(shard));
    }

    /** The shards {@code member} owns, in shard order; empty for a member that owns none. */
    public SortedSet<ShardId> shardsOf(String member) {
        SortedSet<ShardId> shards = new TreeSet<>();
        owners.forEach((shard, owner) -> {
            if (owner.equals(member)) shards.add(shard);
        });
        return Collections.unmodifiableSortedSet(shards);
    }

    /** Every assigned shard and its owner, in shard order. */
    public SortedMap<ShardId, String> owners() {
        return owners;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ShardAssignment that && owners.equals(that.owners);
    }

    @Override
    public int hashCode() {
        return owners.hashCode();
    }

    @Override
    public String toString() {
        return owners.toString();
    }
}
