package io.shardgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.shardgate.sharding.ShardAssignment;
import io.shardgate.sharding.ShardId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A member without the cluster key (a stock Hazelcast member under the cluster's name, in this JVM) joins
 * honest members on loopback and does what it can: it counts for nothing and what it writes is ignored.
 */
class ClusterAdmissionTest {
    private static final List<ShardId> SHARDS = ShardId.allOf("public", 6);

    private static MemberSettings joining(String cluster, String address) {
        return new MemberSettings(cluster, "127.0.0.1", 0, MemberSettings.Join.TCP, List.of(address), null,
                Duration.ofSeconds(3));
    }

    @Test
    void aRogueMemberIsNeverAdmittedNeverTheWriterAndGivenNoShardEvenAsTheOldestMember() {
        String cluster = "rogue-first-" + System.nanoTime();
        HazelcastInstance rogue = RogueMember.join(cluster, "127.0.0.1",
                Map.of("shardgate.ads-address", "127.0.0.1:9"));
        List<HonestMember> honest = new ArrayList<>();
        try {
            String rogueAddress = "127.0.0.1:" + rogue.getCluster().getLocalMember().getAddress().getPort();
            for (int i = 0; i < 2; i++) honest.add(HonestMember.start(joining(cluster, rogueAddress), "127.0.0.1:1800" + i));
            honest.forEach(m -> m.table().shardsChanged(SHARDS));
            String rogueId = rogue.getCluster().getLocalMember().getUuid().toString();
            assertThat(honest.get(0).member().members().iterator().next().getUuid().toString())
                    .as("the rogue is Hazelcast's oldest member").isEqualTo(rogueId);

            awaitPlacedOn(honest, Set.of(honest.get(0).id(), honest.get(1).id()));
            for (HonestMember m : honest) {
                assertThat(m.view().nodes()).extracting(MemberView.Node::id).doesNotContain(rogueId).hasSize(2);
                assertThat(m.view().unproven()).isEqualTo(1);
            }
            assertThat(honest.get(0).table().isWriter()).isTrue();
            assertThat(honest.get(1).table().isWriter()).isFalse();
        } finally {
            honest.forEach(HonestMember::close);
            rogue.shutdown();
        }
    }

    @Test
    void aCopiedProofAdmitsNobodyAndADeletedOneChangesNothing() {
        String cluster = "proof-" + System.nanoTime();
        try (HonestMember a = HonestMember.start(joining(cluster, "127.0.0.1"), "127.0.0.1:18000")) {
            HazelcastInstance rogue = RogueMember.join(cluster, a.address(), Map.of());
            try {
                String rogueId = rogue.getCluster().getLocalMember().getUuid().toString();
                Await.until("the rogue seen", () -> a.view().unproven() == 1);
                Object proof = rogue.getMap(MemberView.PROOFS).get(a.id());
                rogue.getMap(MemberView.PROOFS).set(rogueId, proof);
                rogue.getMap(MemberView.PROOFS).set(a.id(), "127.0.0.1:9\nAAAA");
                Await.until("the honest member's proof restored",
                        () -> proof.equals(rogue.getMap(MemberView.PROOFS).get(a.id())));
                rogue.getMap(MemberView.PROOFS).delete(a.id());
                Await.until("the honest member's proof restored again",
                        () -> proof.equals(rogue.getMap(MemberView.PROOFS).get(a.id())));
                String nobody = "11111111-1111-1111-1111-111111111111";
                rogue.getMap(MemberView.PROOFS).set(nobody, proof);
                Await.until("a proof under an id that is no member deleted",
                        () -> !rogue.getMap(MemberView.PROOFS).containsKey(nobody));

                try (HonestMember b = HonestMember.start(joining(cluster, a.address()), "127.0.0.1:18001")) {
                    Await.until("both honest members admitted by both", () -> a.view().nodes().size() == 2
                            && b.view().nodes().size() == 2);
                    for (HonestMember m : List.of(a, b)) {
                        assertThat(m.view().isAdmitted(rogueId)).isFalse();
                        assertThat(m.view().unproven()).isEqualTo(1);
                        assertThat(m.view().nodes()).filteredOn(n -> n.id().equals(a.id()))
                                .extracting(MemberView.Node::adsAddress).containsExactly("127.0.0.1:18000");
                    }
                }
            } finally {
                rogue.shutdown();
            }
        }
    }

    @Test
    void tablesTheRogueWritesMoveNothingAndTheWriterRewritesThemAtOnce() {
        String cluster = "tables-" + System.nanoTime();
        List<HonestMember> honest = new ArrayList<>();
        HazelcastInstance rogue = null;
        try {
            for (int i = 0; i < 2; i++) honest.add(HonestMember.start(joining(cluster, "127.0.0.1"), "127.0.0.1:1800" + i));
            honest.forEach(m -> m.table().shardsChanged(SHARDS));
            Set<String> honestIds = Set.of(honest.get(0).id(), honest.get(1).id());
            awaitPlacedOn(honest, honestIds);
            ShardAssignment placed = honest.get(0).table().current();
            rogue = RogueMember.join(cluster, honest.get(0).address(), Map.of());
            String rogueId = rogue.getCluster().getLocalMember().getUuid().toString();
            StringBuilder mine = new StringBuilder();
            SHARDS.forEach(s -> mine.append(s).append('=').append(rogueId).append('\n'));
            String signed = (String) rogue.getMap(ShardTable.MAP).get(ShardTable.KEY);

            overwrite(rogue, honest, placed, "this is not a table", TableRejection.UNSIGNED);
            overwrite(rogue, honest, placed, mine.toString(), TableRejection.UNSIGNED);
            overwrite(rogue, honest, placed, signed.replaceFirst("public/0=[0-9a-f-]+", "public/0=" + rogueId),
                    TableRejection.FORGED);
            overwrite(rogue, honest, placed, 42, TableRejection.NOT_TEXT);
            overwrite(rogue, honest, placed, new Gadget("table"), TableRejection.NOT_TEXT);

            // An old signed table written back after the writer moved on.
            String old = (String) rogue.getMap(ShardTable.MAP).get(ShardTable.KEY);
            List<ShardId> more = new ArrayList<>(SHARDS);
            more.add(new ShardId("other", 0));
            honest.forEach(m -> m.table().shardsChanged(more));
            Await.until("the new gateway placed", () -> honest.stream()
                    .allMatch(m -> m.table().current().ownerOf(new ShardId("other", 0)).isPresent()));
            overwrite(rogue, honest, honest.get(0).table().current(), old, TableRejection.STALE);

            HazelcastInstance deleter = rogue;
            long deletedBefore = honest.get(0).table().rejected(TableRejection.DELETED);
            deleter.getMap(ShardTable.MAP).delete(ShardTable.KEY);
            Await.until("the deleted table rewritten", () -> deleter.getMap(ShardTable.MAP).containsKey(ShardTable.KEY)
                    && honest.get(0).table().rejected(TableRejection.DELETED) > deletedBefore);

            // The cluster still rebalances.
            honest.add(HonestMember.start(joining(cluster, honest.get(0).address()), "127.0.0.1:18002"));
            honest.get(2).table().shardsChanged(more);
            Set<String> three = new TreeSet<>(honestIds);
            three.add(honest.get(2).id());
            Await.until("a table over the three honest members", () -> honest.stream().allMatch(m ->
                    Set.copyOf(m.table().current().owners().values()).equals(three)
                            && m.table().current().owners().size() == more.size()));
        } finally {
            honest.forEach(HonestMember::close);
            if (rogue != null) rogue.shutdown();
        }
    }

    @Test
    void aDrainingMarkTheRogueSetsMovesNothing() {
        String cluster = "drain-" + System.nanoTime();
        try (HonestMember a = HonestMember.start(joining(cluster, "127.0.0.1"), "127.0.0.1:18000");
             HonestMember b = HonestMember.start(joining(cluster, "127.0.0.1"), "127.0.0.1:18001")) {
            List<HonestMember> honest = List.of(a, b);
            honest.forEach(m -> m.table().shardsChanged(SHARDS));
            awaitPlacedOn(honest, Set.of(a.id(), b.id()));
            ShardAssignment placed = a.table().current();
            HazelcastInstance rogue = RogueMember.join(cluster, a.address(), Map.of());
            try {
                rogue.getMap(ShardTable.DRAINING).set(b.id(), "draining");
                // A new shard makes the writer rebalance, reading the draining marks.
                List<ShardId> more = new ArrayList<>(SHARDS);
                more.add(new ShardId("other", 0));
                honest.forEach(m -> m.table().shardsChanged(more));
                Await.until("the new shard placed", () -> a.table().current().ownerOf(new ShardId("other", 0)).isPresent());
                placed.owners().forEach((shard, owner) -> assertThat(a.table().current().ownerOf(shard)).contains(owner));
            } finally {
                rogue.shutdown();
            }
        }
    }

    @Test
    void nodesWithDifferentKeysDoNotAdmitEachOther() {
        String cluster = "keys-" + System.nanoTime();
        try (HonestMember a = HonestMember.start(joining(cluster, "127.0.0.1"), ClusterKey.random(), "127.0.0.1:18000");
             HonestMember b = HonestMember.start(joining(cluster, a.address()), ClusterKey.random(), "127.0.0.1:18001")) {
            Await.until("each sees the other unproven", () -> a.view().unproven() == 1 && b.view().unproven() == 1);
            assertThat(a.view().nodes()).extracting(MemberView.Node::id).containsExactly(a.id());
            assertThat(b.view().nodes()).extracting(MemberView.Node::id).containsExactly(b.id());
        }
    }

    @Test
    void shardsWhoseOwnerIsNoAdmittedMemberAreUnplacedUntilAWriterPlacesThem() {
        String cluster = "unplaced-" + System.nanoTime();
        KeyedWriter writer = KeyedWriter.start(cluster, HonestMember.KEY);
        try (HonestMember reader = HonestMember.start(joining(cluster, writer.address()), "127.0.0.1:18000")) {
            reader.table().shardsChanged(SHARDS);
            Await.until("the keyed writer admitted", () -> reader.view().nodes().size() == 2);
            assertThat(reader.table().isWriter()).isFalse();
            assertThat(reader.table().unplaced()).as("no table yet").isEqualTo(SHARDS.size());

            writer.write(4, ShardAssignment.assign(List.of(reader.id()), SHARDS, ShardAssignment.empty()).owners());
            Await.until("a signed table placing every shard on the reader", () -> reader.table().unplaced() == 0);
            java.util.Map<ShardId, String> nobody = new java.util.TreeMap<>();
            SHARDS.forEach(s -> nobody.put(s, "00000000-0000-0000-0000-000000000000"));
            writer.write(5, nobody);
            Await.until("a signed table naming an owner that is no member", () -> reader.table().unplaced() == SHARDS.size());
            assertThat(reader.table().current().owners()).isEmpty();

            writer.close();
            Await.until("the reader, now the writer, places every shard", () -> reader.table().unplaced() == 0);
            assertThat(Set.copyOf(reader.table().current().owners().values())).containsExactly(reader.id());
        } finally {
            writer.close();
        }
    }

    /**
     * Stores {@code value} where the table belongs; then every honest member still holds {@code placed} (it
     * never took the value), the writer counted the value as {@code reason} and the map holds a table it signed.
     */
    private static void overwrite(HazelcastInstance rogue, List<HonestMember> honest, ShardAssignment placed, Object value,
                                  TableRejection reason) {
        int readsBefore = Gadget.READS.get();
        ShardTable writer = honest.stream().map(HonestMember::table).filter(ShardTable::isWriter).findFirst().orElseThrow();
        long before = writer.rejected(reason);
        rogue.getMap(ShardTable.MAP).set(ShardTable.KEY, value);
        Await.until("the writer's rewrite over " + value, () -> writer.rejected(reason) > before
                && storedByWriter(rogue, honest.get(0)));
        for (HonestMember m : honest) assertThat(m.table().current()).as("table held by %s", m.id()).isEqualTo(placed);
        assertThat(Gadget.READS.get()).as("gadgets deserialised").isEqualTo(readsBefore);
    }

    private static boolean storedByWriter(HazelcastInstance rogue, HonestMember any) {
        try {
            return SignedShardTable.read(rogue.getMap(ShardTable.MAP).get(ShardTable.KEY), HonestMember.KEY,
                    any.member().hazelcast().getConfig().getClusterName()) instanceof SignedShardTable.Verified;
        } catch (RuntimeException refused) {
            return false; // the rogue refuses its own gadget
        }
    }

    private static void awaitPlacedOn(List<HonestMember> honest, Set<String> owners) {
        Await.until("every shard placed on " + owners, () -> honest.stream().allMatch(m ->
                m.table().current().owners().size() == SHARDS.size()
                        && Set.copyOf(m.table().current().owners().values()).equals(owners)
                        && m.table().current().equals(honest.get(0).table().current())));
    }
}
