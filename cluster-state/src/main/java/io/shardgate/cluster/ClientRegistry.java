package io.shardgate.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.map.IMap;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Which node serves which Envoy, cluster-wide, for the admin endpoint of any node. Each node publishes the
 * complete list of its own clients (replacing what it published before); the entries of a member that
 * leaves are removed by every survivor (idempotent). Entries are plain text: no Java serialisation.
 */
public final class ClientRegistry implements AutoCloseable {
    static final String MAP = "shardgate.clients";

    /** One Envoy stream as the cluster sees it. */
    public record ServedClient(String clientId, String gateway, int shard, String protocol, String memberId,
                               String adsAddress) {
        String key() {
            return clientId + "@" + memberId;
        }

        String encode() {
            return String.join("\t", clientId, gateway, Integer.toString(shard), protocol, memberId, adsAddress);
        }

        static ServedClient decode(String text) {
            String[] f = text.split("\t", -1);
            return new ServedClient(f[0], f[1], Integer.parseInt(f[2]), f[3], f[4], f[5]);
        }
    }

    private final ClusterMember member;
    private final IMap<String, String> map;
    private final UUID membership;

    public ClientRegistry(ClusterMember member) {
        this.member = member;
        this.map = member.hazelcast().getMap(MAP);
        this.membership = member.hazelcast().getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {}

            @Override
            public void memberRemoved(MembershipEvent event) {
                removeMember(event.getMember().getUuid().toString());
            }
        });
    }

    /** Replaces this member's entries with {@code clients} (all of them served by {@code memberId}). */
    public void publish(String memberId, Collection<ServedClient> clients) {
        Set<String> current = new HashSet<>();
        for (ServedClient c : clients) {
            current.add(c.key());
            String encoded = c.encode();
            if (!encoded.equals(map.get(c.key()))) map.set(c.key(), encoded);
        }
        for (String key : Set.copyOf(map.keySet())) {
            if (key.endsWith("@" + memberId) && !current.contains(key)) map.delete(key);
        }
    }

    /** Every client of the cluster, sorted by client id then member. */
    public List<ServedClient> all() {
        return map.values().stream().map(ServedClient::decode)
                .sorted(Comparator.comparing(ServedClient::clientId).thenComparing(ServedClient::memberId)).toList();
    }

    private void removeMember(String memberId) {
        if (!member.isRunning()) return;
        for (String key : Set.copyOf(map.keySet())) {
            if (key.endsWith("@" + memberId)) map.delete(key);
        }
    }

    @Override
    public void close() {
        if (member.isRunning()) member.hazelcast().getCluster().removeMembershipListener(membership);
    }
}
