package io.shardgate.cluster;

import io.shardgate.sharding.ShardAssignment;
import io.shardgate.sharding.ShardId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A member that holds the cluster key but runs no shard table: started first, it is the oldest admitted member,
 * so the writer, and it writes only the signed tables a test gives it. Stands for the writer of a table that
 * names owners who are not members (a table of another time, or a writer gone wrong).
 */
public final class KeyedWriter implements AutoCloseable {
    private final ClusterMember member;
    private final MemberView view;
    private final ClusterKey key;

    private KeyedWriter(ClusterMember member, MemberView view, ClusterKey key) {
        this.member = member;
        this.view = view;
        this.key = key;
    }

    public static KeyedWriter start(String clusterName, ClusterKey key) {
        ClusterMember member = ClusterMember.start(new MemberSettings(clusterName, "127.0.0.1", 0, MemberSettings.Join.TCP,
                List.of("127.0.0.1"), null, Duration.ofSeconds(3)));
        return new KeyedWriter(member, new MemberView(member, key, "127.0.0.1:9"), key);
    }

    /** Where other members join it ({@code host:port}). */
    public String address() {
        return "127.0.0.1:" + member.localMember().getAddress().getPort();
    }

    public String id() {
        return member.localMember().getUuid().toString();
    }

    /** Admitted members as it sees them. */
    public MemberView view() {
        return view;
    }

    public void write(long sequence, Map<ShardId, String> owners) {
        SignedShardTable table = new SignedShardTable(sequence, Set.of(id()), ShardAssignment.of(owners));
        member.hazelcast().getMap(ShardTable.MAP).set(ShardTable.KEY,
                table.sign(key, member.hazelcast().getConfig().getClusterName()));
    }

    @Override
    public void close() {
        view.close();
        member.close();
    }
}
