package io.shardgate.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class OwnershipDiffTest {
    private static final ShardId P0 = new ShardId("public", 0);
    private static final ShardId P1 = new ShardId("public", 1);
    private static final ShardId P2 = new ShardId("public", 2);
    private static final ShardId E0 = new ShardId("edge", 0);

    @Test
    void reportsGainsAndLossesPerMember() {
        ShardAssignment before = ShardAssignment.of(Map.of(P0, "a", P1, "b", E0, "a"));
        ShardAssignment after = ShardAssignment.of(Map.of(P0, "b", P1, "b", P2, "c", E0, "a"));

        SortedMap<String, OwnershipChange> changes = ShardAssignment.diff(before, after);

        assertThat(changes).containsOnlyKeys("a", "b", "c");
        assertThat(changes.get("a").lost()).containsExactly(P0);
        assertThat(changes.get("a").gained()).isEmpty();
        assertThat(changes.get("b").gained()).containsExactly(P0);
        assertThat(changes.get("b").lost()).isEmpty();
        assertThat(changes.get("c").gained()).containsExactly(P2);
    }

    @Test
    void aRemovedShardIsLostByItsOwner() {
        ShardAssignment before = ShardAssignment.of(Map.of(P0, "a", P1, "a"));
        ShardAssignment after = ShardAssignment.of(Map.of(P0, "a"));
        assertThat(ShardAssignment.diff(before, after)).containsOnlyKeys("a");
        assertThat(ShardAssignment.diff(before, after).get("a").lost()).containsExactly(P1);
    }

    @Test
    void noChangeMeansNoEntries() {
        ShardAssignment assignment = ShardAssignment.of(Map.of(P0, "a", P1, "b"));
        assertThat(ShardAssignment.diff(assignment, assignment)).isEmpty();
        assertThat(ShardAssignment.diff(ShardAssignment.empty(), assignment).keySet()).containsExactly("a", "b");
    }
}
