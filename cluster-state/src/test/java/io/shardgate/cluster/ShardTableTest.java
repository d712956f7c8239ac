package io.shardgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.sharding.ShardAssignment;
import io.shardgate.sharding.ShardId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardTableTest {
    private static final List<ShardId> SHARDS = ShardId.allOf("public", 8);

    @Test
    void oneWriterAndEveryMemberSeesTheSameBalancedTableAndALeaveMovesOnlyTheLeaversShards() {
        String cluster = "table-" + System.nanoTime();
        MemberSettings settings = new MemberSettings(cluster, "127.0.0.1", 0, MemberSettings.Join.TCP,
                List.of("127.0.0.1"), null, Duration.ofSeconds(3));
        List<ClusterMember> members = new ArrayList<>();
        List<ShardTable> tables = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                ClusterMember m = ClusterMember.start(settings);
                members.add(m);
                ShardTable table = new ShardTable(m);
                tables.add(table);
                table.shardsChanged(SHARDS);
            }
            Await.until("all three see one complete table over three members", () -> tables.stream().allMatch(t ->
                    t.current().owners().size() == 8 && t.current().equals(tables.get(0).current())
                            && t.current().owners().values().stream().distinct().count() == 3));
            assertThat(tables.stream().filter(ShardTable::isWriter)).hasSize(1);
            ShardAssignment before = tables.get(0).current();
            for (ShardTable t : tables) assertThat(before.shardsOf(t.localId()).size()).isBetween(2, 3);

            String leaver = tables.get(2).localId();
            tables.get(2).close();
            members.get(2).close();
            Await.until("the survivors take over the leaver's shards", () -> tables.subList(0, 2).stream().allMatch(t ->
                    t.current().owners().size() == 8 && !t.current().owners().containsValue(leaver)
                            && t.current().equals(tables.get(0).current())));

            ShardAssignment after = tables.get(0).current();
            for (Map.Entry<ShardId, String> e : before.owners().entrySet()) {
                if (!e.getValue().equals(leaver)) {
                    assertThat(after.ownerOf(e.getKey())).as("%s stays", e.getKey()).contains(e.getValue());
                }
            }
        } finally {
            tables.forEach(ShardTable::close);
            members.forEach(ClusterMember::close);
        }
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
