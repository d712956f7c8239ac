package io.shardgate.sharding;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * The algorithm behind {@link ShardAssignment#assign}: keep what may stay, shed what overflows, place the
 * rest by rendezvous rank. docs/sharding.md ("Shard to node") states it step by step.
 */
final class MinimalMoveRebalance {
    private MinimalMoveRebalance() {}

    static SortedMap<ShardId, String> compute(SortedSet<String> members, SortedSet<ShardId> shards, ShardAssignment previous) {
        SortedMap<ShardId, String> owners = new TreeMap<>();
        if (shards.isEmpty()) return owners;
        if (members.isEmpty()) throw new IllegalArgumentException("cannot assign " + shards.size() + " shards to no members");

        Map<String, List<ShardId>> kept = new TreeMap<>();
        members.forEach(member -> kept.put(member, new ArrayList<>()));
        List<ShardId> unplaced = new ArrayList<>();
        for (ShardId shard : shards) {
            List<ShardId> ownersShards = previous.ownerOf(shard).map(kept::get).orElse(null);
            if (ownersShards != null) ownersShards.add(shard);
            else unplaced.add(shard);
        }

        Map<String, Integer> quota = quotas(kept, shards.size());
        kept.forEach((member, shardsKept) -> {
            int excess = shardsKept.size() - quota.get(member);
            if (excess > 0) {
                shardsKept.sort(Rendezvous.weakestFirstFor(member));
                List<ShardId> shed = shardsKept.subList(0, excess);
                unplaced.addAll(shed);
                shed.clear();
            }
        });

        Map<String, Integer> room = new HashMap<>();
        kept.forEach((member, shardsKept) -> {
            room.put(member, quota.get(member) - shardsKept.size());
            shardsKept.forEach(shard -> owners.put(shard, member));
        });
        Collections.sort(unplaced);
        for (ShardId shard : unplaced) {
            String owner = members.stream()
                    .filter(member -> room.get(member) > 0)
                    .min(Rendezvous.bestFirstFor(shard))
                    .orElseThrow();
            owners.put(shard, owner);
            room.merge(owner, -1, Integer::sum);
        }
        return owners;
    }

    /**
     * Every member's quota is floor(S/N); the S mod N members that already keep the most get one more.
     * Giving the extra places to the fullest members is what makes the number of moves minimal.
     */
    private static Map<String, Integer> quotas(Map<String, List<ShardId>> kept, int shardCount) {
        int base = shardCount / kept.size();
        int withExtra = shardCount % kept.size();
        List<String> fullestFirst = new ArrayList<>(kept.keySet());
        fullestFirst.sort(Comparator.comparingInt((String member) -> kept.get(member).size()).reversed()
                .thenComparing(Comparator.naturalOrder()));
        Map<String, Integer> quota = new HashMap<>();
        for (int i = 0; i < fullestFirst.size(); i++) quota.put(fullestFirst.get(i), base + (i < withExtra ? 1 : 0));
        return quota;
    }
}
