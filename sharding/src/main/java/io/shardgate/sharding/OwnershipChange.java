package io.shardgate.sharding;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/** What one member gains and loses between two assignments; never both empty in a diff. */
public record OwnershipChange(String member, SortedSet<ShardId> gained, SortedSet<ShardId> lost) {
    public OwnershipChange {
        Objects.requireNonNull(member, "member");
        gained = Collections.unmodifiableSortedSet(new TreeSet<>(gained));
        lost = Collections.unmodifiableSortedSet(new TreeSet<>(lost));
    }
}
