package io.shardgate.sharding;

import static io.shardgate.sharding.AssignmentFixtures.MEMBER_COUNTS;
import static io.shardgate.sharding.AssignmentFixtures.SHARD_COUNTS;
import static io.shardgate.sharding.AssignmentFixtures.assertBalanced;
import static io.shardgate.sharding.AssignmentFixtures.members;
import static io.shardgate.sharding.AssignmentFixtures.shards;
import static io.shardgate.sharding.AssignmentFixtures.shardsOfGateways;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ShardAssignmentTest {
    /** Owners of public/0 to public/7. */
    private static final List<String> PINNED_COLD_START = List.of("a", "b", "b", "a", "b", "a", "c", "c");
    private static final List<String> PINNED_AFTER_D_JOINS = List.of("a", "d", "b", "a", "b", "d", "c", "c");

    static Stream<Arguments> sizes() {
        return Arrays.stream(SHARD_COUNTS).boxed()
                .flatMap(s -> Arrays.stream(MEMBER_COUNTS).mapToObj(n -> Arguments.of(s, n)));
    }

    @ParameterizedTest(name = "S={0} N={1}")
    @MethodSource("sizes")
    void coldStartIsBalancedAndIndependentOfInputOrder(int shardCount, int memberCount) {
        List<String> members = members(memberCount);
        List<ShardId> shards = shards(shardCount);
        ShardAssignment assignment = ShardAssignment.assign(members, shards, ShardAssignment.empty());
        assertBalanced(assignment, members, shards);

        Random random = new Random(shardCount * 31L + memberCount);
        for (int round = 0; round < 3; round++) {
            List<String> shuffledMembers = new ArrayList<>(members);
            List<ShardId> shuffledShards = new ArrayList<>(shards);
            Collections.shuffle(shuffledMembers, random);
            Collections.shuffle(shuffledShards, random);
            assertThat(ShardAssignment.assign(shuffledMembers, shuffledShards, ShardAssignment.empty())).isEqualTo(assignment);
        }
    }

    @ParameterizedTest(name = "S={0} N={1}")
    @MethodSource("sizes")
    void rebalanceIsIndependentOfInputOrder(int shardCount, int memberCount) {
        // An unbalanced previous assignment (everything on the first member) forces sheds and placements.
        List<String> members = members(memberCount);
        List<ShardId> shards = shards(shardCount);
        Map<ShardId, String> allOnOne = new LinkedHashMap<>();
        shards.forEach(shard -> allOnOne.put(shard, members.get(0)));
        ShardAssignment previous = ShardAssignment.of(allOnOne);
        ShardAssignment assignment = ShardAssignment.assign(members, shards, previous);

        List<String> reversedMembers = new ArrayList<>(members);
        List<ShardId> reversedShards = new ArrayList<>(shards);
        Collections.reverse(reversedMembers);
        Collections.reverse(reversedShards);
        assertThat(ShardAssignment.assign(reversedMembers, reversedShards, previous)).isEqualTo(assignment);
        assertBalanced(assignment, members, shards);
    }

    @Test
    void reassigningUnchangedInputsMovesNothing() {
        List<String> members = members(5);
        List<ShardId> shards = shards(64);
        ShardAssignment assignment = ShardAssignment.assign(members, shards, ShardAssignment.empty());
        assertThat(ShardAssignment.assign(members, shards, assignment)).isEqualTo(assignment);
    }

    @Test
    void pinnedAssignmentsNeverChange() {
        // Regression guard: every node of a cluster (and of a rolling upgrade) must compute the same owners, so
        // these values (computed once by this implementation) must never change.
        List<ShardId> shards = shards(8);
        ShardAssignment coldStart = ShardAssignment.assign(List.of("a", "b", "c"), shards, ShardAssignment.empty());
        assertThat(coldStart.owners().keySet()).containsExactlyElementsOf(shards);
        assertThat(coldStart.owners().values()).containsExactlyElementsOf(PINNED_COLD_START);

        ShardAssignment afterJoin = ShardAssignment.assign(List.of("a", "b", "c", "d"), shards, coldStart);
        assertThat(afterJoin.owners().values()).containsExactlyElementsOf(PINNED_AFTER_D_JOINS);
    }

    @Test
    void shardsGoToTheirRendezvousFavouriteWhileItHasRoom() {
        // Placement follows rendezvous rank: the first shard always gets its favourite, and most shards do
        // (a member-order fill would give only about 1 in N its favourite).
        List<String> members = members(5);
        List<ShardId> shards = shards(1000);
        ShardAssignment assignment = ShardAssignment.assign(members, shards, ShardAssignment.empty());
        long withFavourite = shards.stream()
                .filter(shard -> assignment.ownerOf(shard).orElseThrow().equals(favourite(shard, members)))
                .count();
        assertThat(assignment.ownerOf(shards.get(0))).contains(favourite(shards.get(0), members));
        assertThat(withFavourite).isGreaterThan(700);
    }

    private static String favourite(ShardId shard, List<String> members) {
        return members.stream().min(Rendezvous.bestFirstFor(shard)).orElseThrow();
    }

    @Test
    void gatewaysWithDifferentShardCountsShareMembersFairly() {
        Map<String, Integer> shardCounts = new LinkedHashMap<>();
        shardCounts.put("public", 16);
        shardCounts.put("internal", 3);
        shardCounts.put("edge", 1);
        shardCounts.put("tenants", 101);
        List<ShardId> shards = shardsOfGateways(shardCounts);
        for (int memberCount : MEMBER_COUNTS) {
            List<String> members = members(memberCount);
            ShardAssignment assignment = ShardAssignment.assign(members, shards, ShardAssignment.empty());
            assertBalanced(assignment, members, shards);
        }
        // 121 shards on 5 members: 24 or 25 each, whatever the gateway.
        List<String> five = members(5);
        assertThat(AssignmentFixtures.loads(ShardAssignment.assign(five, shards, ShardAssignment.empty()), five).values())
                .allSatisfy(load -> assertThat(load).isIn(24, 25));
    }

    @Test
    void noShardsMeansAnEmptyAssignment() {
        assertThat(ShardAssignment.assign(List.of(), List.of(), ShardAssignment.empty())).isEqualTo(ShardAssignment.empty());
        assertThat(ShardAssignment.assign(List.of("a"), List.of(), ShardAssignment.empty()).owners()).isEmpty();
    }

    @Test
    void shardsNeedAtLeastOneMember() {
        assertThatThrownBy(() -> ShardAssignment.assign(List.of(), shards(2), ShardAssignment.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no members");
    }

    @Test
    void duplicateInputsCountOnce() {
        ShardAssignment assignment = ShardAssignment.assign(List.of("a", "b", "a"), List.of(
                new ShardId("public", 0), new ShardId("public", 1), new ShardId("public", 0)), ShardAssignment.empty());
        assertThat(assignment.owners()).hasSize(2);
        assertThat(assignment.owners().values()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void previousOwnersAndShardsThatNoLongerExistAreDropped() {
        ShardAssignment previous = ShardAssignment.of(Map.of(
                new ShardId("public", 0), "a",
                new ShardId("public", 1), "gone",
                new ShardId("retired", 0), "a"));
        ShardAssignment assignment = ShardAssignment.assign(List.of("a", "b"), shards(2), previous);
        assertThat(assignment.owners()).containsOnly(entry(new ShardId("public", 0), "a"), entry(new ShardId("public", 1), "b"));
    }

    @Test
    void readsBackOwnersAndShards() {
        ShardAssignment assignment = ShardAssignment.of(Map.of(
                new ShardId("public", 2), "a", new ShardId("public", 0), "a", new ShardId("edge", 0), "b"));
        assertThat(assignment.ownerOf(new ShardId("edge", 0))).contains("b");
        assertThat(assignment.ownerOf(new ShardId("edge", 1))).isEmpty();
        assertThat(assignment.shardsOf("a")).containsExactly(new ShardId("public", 0), new ShardId("public", 2));
        assertThat(assignment.shardsOf("nobody")).isEmpty();
    }
}
