package io.shardgate.sharding;

import static io.shardgate.sharding.AssignmentFixtures.SHARD_COUNTS;
import static io.shardgate.sharding.AssignmentFixtures.assertBalanced;
import static io.shardgate.sharding.AssignmentFixtures.ceilDiv;
import static io.shardgate.sharding.AssignmentFixtures.member;
import static io.shardgate.sharding.AssignmentFixtures.members;
import static io.shardgate.sharding.AssignmentFixtures.shards;
import static io.shardgate.sharding.AssignmentFixtures.shardsOfGateways;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A change of members or shards moves only the shards it must. */
class ShardMovementTest {

    static Stream<Arguments> sizes() {
        return Arrays.stream(SHARD_COUNTS).boxed()
                .flatMap(s -> IntStream.rangeClosed(1, 7).mapToObj(n -> Arguments.of(s, n)));
    }

    @ParameterizedTest(name = "S={0} N={1}->N+1")
    @MethodSource("sizes")
    void joinMovesShardsOnlyOntoTheNewMember(int shardCount, int memberCount) {
        List<ShardId> shards = shards(shardCount);
        List<String> members = members(memberCount);
        ShardAssignment before = ShardAssignment.assign(members, shards, ShardAssignment.empty());
        List<String> grown = members(memberCount + 1);
        String joiner = member(memberCount);
        ShardAssignment after = ShardAssignment.assign(grown, shards, before);

        assertBalanced(after, grown, shards);
        SortedMap<String, OwnershipChange> changes = ShardAssignment.diff(before, after);
        int moved = after.shardsOf(joiner).size();
        for (ShardId shard : shards) {
            if (!after.ownerOf(shard).equals(before.ownerOf(shard))) assertThat(after.ownerOf(shard)).contains(joiner);
        }
        assertThat(moved).isBetween(shardCount / (memberCount + 1), ceilDiv(shardCount, memberCount + 1));
        if (moved > 0) assertThat(changes.get(joiner).gained()).hasSize(moved);
    }

    @ParameterizedTest(name = "S={0} N={1}+1->N")
    @MethodSource("sizes")
    void leaveMovesOnlyTheLeaversShards(int shardCount, int survivorCount) {
        List<ShardId> shards = shards(shardCount);
        List<String> members = members(survivorCount + 1);
        ShardAssignment before = ShardAssignment.assign(members, shards, ShardAssignment.empty());
        for (String leaver : members) {
            List<String> survivors = new ArrayList<>(members);
            survivors.remove(leaver);
            ShardAssignment after = ShardAssignment.assign(survivors, shards, before);

            assertBalanced(after, survivors, shards);
            for (String survivor : survivors) assertThat(after.shardsOf(survivor)).containsAll(before.shardsOf(survivor));
            int moved = (int) shards.stream().filter(shard -> !after.ownerOf(shard).equals(before.ownerOf(shard))).count();
            assertThat(moved).isEqualTo(before.shardsOf(leaver).size());
        }
    }

    @Test
    void churnKeepsEveryStepBalancedAndMinimal() {
        // Join and leave steps starting from evolved (not cold-start) assignments, across several gateways.
        Map<String, Integer> shardCounts = new LinkedHashMap<>();
        shardCounts.put("public", 300);
        shardCounts.put("internal", 37);
        shardCounts.put("edge", 1);
        List<ShardId> shards = shardsOfGateways(shardCounts);
        Random random = new Random(42);
        List<String> members = new ArrayList<>(members(3));
        int nextMember = members.size();
        ShardAssignment current = ShardAssignment.assign(members, shards, ShardAssignment.empty());
        for (int step = 0; step < 40; step++) {
            boolean join = members.size() == 1 || (members.size() < 9 && random.nextBoolean());
            String changed = join ? member(nextMember++) : members.get(random.nextInt(members.size()));
            if (join) members.add(changed);
            else members.remove(changed);
            ShardAssignment next = ShardAssignment.assign(members, shards, current);

            assertBalanced(next, members, shards);
            for (OwnershipChange change : ShardAssignment.diff(current, next).values()) {
                if (join) assertThat(change.member().equals(changed) ? change.lost() : change.gained()).isEmpty();
                else assertThat(change.member().equals(changed) ? change.gained() : change.lost()).isEmpty();
            }
            current = next;
        }
    }

    @Test
    void addingShardsMovesNoExistingShard() {
        List<String> members = members(3);
        ShardAssignment before = ShardAssignment.assign(members, shards(8), ShardAssignment.empty());
        ShardAssignment after = ShardAssignment.assign(members, shards(12), before);

        assertBalanced(after, members, shards(12));
        assertThat(ShardAssignment.diff(before, after).values()).allSatisfy(change -> assertThat(change.lost()).isEmpty());
    }

    @Test
    void anUnbalancedPreviousMovesExactlyTheOverflow() {
        // All ten shards on one member: the other needs five, and exactly five move.
        List<ShardId> shards = shards(10);
        Map<ShardId, String> allOnA = new LinkedHashMap<>();
        shards.forEach(shard -> allOnA.put(shard, "a"));
        ShardAssignment previous = ShardAssignment.of(allOnA);
        ShardAssignment after = ShardAssignment.assign(List.of("a", "b"), shards, previous);

        assertBalanced(after, List.of("a", "b"), shards);
        assertThat(ShardAssignment.diff(previous, after)).containsOnlyKeys("a", "b");
        assertThat(ShardAssignment.diff(previous, after).get("b").gained()).hasSize(5);
    }

    @Test
    void theExtraPlaceGoesToAMemberThatAlreadyFillsIt() {
        // 7 shards, 3 members: quotas are 3, 2, 2. "b" already holds 3, so it keeps them all.
        List<ShardId> shards = shards(7);
        Map<ShardId, String> previous = new LinkedHashMap<>();
        for (ShardId shard : shards) previous.put(shard, shard.shard() < 3 ? "b" : shard.shard() < 5 ? "a" : "c");
        ShardAssignment after = ShardAssignment.assign(List.of("a", "b", "c"), shards, ShardAssignment.of(previous));
        assertThat(after.owners()).isEqualTo(previous);
    }
}
