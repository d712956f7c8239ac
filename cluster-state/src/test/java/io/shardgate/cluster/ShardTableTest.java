package io.shardgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.sharding.ShardAssignment;
import io.shardgate.sharding.ShardId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShardTableTest {
    private static final List<ShardId> SHARDS = ShardId.allOf("public", 8);

    @ParameterizedTest(name = "{0} members")
    @ValueSource(ints = {3, 5})
    void everyMemberSeesOneBalancedTableAndAJoinOrALeaveMovesOnlyWhatItMust(int n) {
        String cluster = "table-" + n + "-" + System.nanoTime();
        MemberSettings settings = new MemberSettings(cluster, "127.0.0.1", 0, MemberSettings.Join.TCP,
                List.of("127.0.0.1"), null, Duration.ofSeconds(3));
        List<ClusterMember> members = new ArrayList<>();
        List<ShardTable> tables = new ArrayList<>();
        try {
            for (int i = 0; i < n - 1; i++) join(settings, members, tables);
            awaitOneBalancedTable(tables, n - 1);
            assertThat(tables.stream().filter(ShardTable::isWriter)).hasSize(1);
            ShardAssignment before = tables.get(0).current();

            ShardTable newcomer = join(settings, members, tables);
            awaitOneBalancedTable(tables, n);
            ShardAssignment joined = tables.get(0).current();
            for (Map.Entry<ShardId, String> e : before.owners().entrySet()) {
                String now = joined.ownerOf(e.getKey()).orElseThrow();
                assertThat(now).as("%s stays or moves to the newcomer", e.getKey()).isIn(e.getValue(), newcomer.localId());
            }

            ShardTable leaving = tables.get(1);
            String leaver = leaving.localId();
            leaving.close();
            members.get(1).close();
            tables.remove(1);
            members.remove(1);
            awaitOneBalancedTable(tables, n - 1);
            ShardAssignment after = tables.get(0).current();
            for (Map.Entry<ShardId, String> e : joined.owners().entrySet()) {
                if (!e.getValue().equals(leaver)) {
                    assertThat(after.ownerOf(e.getKey())).as("%s stays", e.getKey()).contains(e.getValue());
                }
            }
        } finally {
            tables.forEach(ShardTable::close);
            members.forEach(ClusterMember::close);
        }
    }

    private static ShardTable join(MemberSettings settings, List<ClusterMember> members, List<ShardTable> tables) {
        ClusterMember m = ClusterMember.start(settings);
        members.add(m);
        ShardTable table = new ShardTable(m);
        tables.add(table);
        table.shardsChanged(SHARDS);
        return table;
    }

    /** Every member holds the same table, placing all shards on exactly the live members, floor or ceil each. */
    private static void awaitOneBalancedTable(List<ShardTable> tables, int n) {
        int floor = SHARDS.size() / n;
        int ceil = (SHARDS.size() + n - 1) / n;
        Await.until("one balanced table over " + n + " members", () -> tables.stream().allMatch(t ->
                t.current().owners().size() == SHARDS.size() && t.current().equals(tables.get(0).current())
                        && tables.stream().allMatch(o -> {
                            int owned = t.current().shardsOf(o.localId()).size();
                            return owned >= floor && owned <= ceil;
                        })));
    }

    @Test
    void aDrainingMemberHandsItsShardsOverBeforeLeavingAndNothingElseMoves() {
        MemberSettings settings = new MemberSettings("drain-" + System.nanoTime(), "127.0.0.1", 0, MemberSettings.Join.TCP,
                List.of("127.0.0.1"), null, Duration.ofSeconds(3));
        List<ClusterMember> members = new ArrayList<>();
        List<ShardTable> tables = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                members.add(ClusterMember.start(settings));
                tables.add(new ShardTable(members.get(i)));
                tables.get(i).shardsChanged(SHARDS);
            }
            Await.until("a table over three members", () -> tables.stream().allMatch(t -> t.current().owners().size() == 8
                    && t.current().owners().values().stream().distinct().count() == 3));
            ShardAssignment before = tables.get(0).current();
            ShardTable leaving = tables.get(2);

            leaving.drain();

            Await.until("the draining member owns nothing, as every member sees", () -> tables.stream().allMatch(t ->
                    t.current().owners().size() == 8 && t.current().shardsOf(leaving.localId()).isEmpty()));
            assertThat(members.get(2).members()).hasSize(3); // still a member: it hands over first, then leaves
            ShardAssignment after = tables.get(0).current();
            before.owners().forEach((shard, owner) -> {
                if (!owner.equals(leaving.localId())) assertThat(after.ownerOf(shard)).contains(owner);
            });
        } finally {
            tables.forEach(ShardTable::close);
            members.forEach(ClusterMember::close);
        }
    }

    @Test
    void theTableRoundTripsThroughItsTextForm() {
        ShardAssignment table = ShardAssignment.assign(List.of("a", "b"), SHARDS, ShardAssignment.empty());
        assertThat(ShardTable.decode(ShardTable.encode(table))).isEqualTo(table);
        assertThat(ShardTable.decode(null)).isEqualTo(ShardAssignment.empty());
    }
}
