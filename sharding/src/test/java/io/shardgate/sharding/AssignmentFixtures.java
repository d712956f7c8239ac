package io.shardgate.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Members, shards and the balance check shared by the assignment tests. */
final class AssignmentFixtures {
    static final int[] SHARD_COUNTS = {1, 7, 64, 1000};
    static final int[] MEMBER_COUNTS = {1, 2, 3, 5, 7};

    private AssignmentFixtures() {}

    /** Member ids shaped like Hazelcast's: UUID strings, stable from run to run. */
    static String member(int i) {
        return UUID.nameUUIDFromBytes(("member-" + i).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static List<String> members(int count) {
        return IntStream.range(0, count).mapToObj(AssignmentFixtures::member).collect(Collectors.toList());
    }

    static List<ShardId> shards(int count) {
        return ShardId.allOf("public", count);
    }

    static int ceilDiv(int shards, int members) {
        return (shards + members - 1) / members;
    }

    /** Shards per member, including members that own none. */
    static Map<String, Integer> loads(ShardAssignment assignment, Collection<String> members) {
        Map<String, Integer> loads = new TreeMap<>();
        members.forEach(member -> loads.put(member, assignment.shardsOf(member).size()));
        return loads;
    }

    /** Every shard owned exactly once, by a member, and every member within [floor(S/N), ceil(S/N)]. */
    static void assertBalanced(ShardAssignment assignment, Collection<String> members, Collection<ShardId> shards) {
        assertThat(assignment.owners().keySet()).containsExactlyInAnyOrderElementsOf(new HashSet<>(shards));
        assertThat(new HashSet<>(members)).containsAll(assignment.owners().values());
        int s = new HashSet<>(shards).size();
        int n = new HashSet<>(members).size();
        assertThat(loads(assignment, members).values()).allSatisfy(load -> assertThat(load).isBetween(s / n, ceilDiv(s, n)));
    }

    static List<ShardId> shardsOfGateways(Map<String, Integer> shardCounts) {
        List<ShardId> shards = new ArrayList<>();
        shardCounts.forEach((gateway, count) -> shards.addAll(ShardId.allOf(gateway, count)));
        return shards;
    }
}
