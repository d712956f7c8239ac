package io.shardgate.cluster;

import com.hazelcast.core.HazelcastInstance;

/** What the shard table's map entry holds, as a test outside this package may ask. */
public final class StoredTable {
    private StoredTable() {}

    /**
     * The sequence of the table stored where {@code member} reads it, when it is one signed with {@code key};
     * otherwise -1 (nothing, something else, or an object {@code member} refuses to deserialise).
     */
    public static long sequence(HazelcastInstance member, ClusterKey key) {
        try {
            return SignedShardTable.read(member.getMap(ShardTable.MAP).get(ShardTable.KEY), key,
                    member.getConfig().getClusterName()) instanceof SignedShardTable.Verified v ? v.table().sequence() : -1;
        } catch (RuntimeException refused) {
            return -1;
        }
    }

    /** Stores {@code value} where the shard table belongs. */
    public static void overwrite(HazelcastInstance member, Object value) {
        member.getMap(ShardTable.MAP).set(ShardTable.KEY, value);
    }

    /** The stored value as text ("" when it is none). */
    public static String text(HazelcastInstance member) {
        try {
            return member.getMap(ShardTable.MAP).get(ShardTable.KEY) instanceof String s ? s : "";
        } catch (RuntimeException refused) {
            return "";
        }
    }
}
