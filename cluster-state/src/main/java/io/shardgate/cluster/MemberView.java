package io.shardgate.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The cluster's members as every node sees them: sorted by id, each with the ADS address it advertises
 * (a member attribute set at start). Every node derives the shard table from this list, so it must be the
 * same everywhere for the same Hazelcast member set: it is sorted and carries nothing node-local.
 * Listeners run on Hazelcast's event thread and must only hand work off.
 */
public final class MemberView implements AutoCloseable {
    /** The member attribute holding a node's ADS address ({@code host:port}). */
    public static final String ADS_ADDRESS = "shardgate.ads-address";

    public record Node(String id, String adsAddress) {}

    private final ClusterMember member;
    private final UUID registration;
    private final List<Consumer<List<Node>>> listeners = new CopyOnWriteArrayList<>();

    public MemberView(ClusterMember member) {
        this.member = member;
        this.registration = member.hazelcast().getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                publish(event.getMembers());
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                publish(event.getMembers());
            }
        });
    }

    /** The current members, sorted by id. */
    public List<Node> nodes() {
        return sorted(member.members());
    }

    /** This node's id. */
    public String localId() {
        return member.localMember().getUuid().toString();
    }

    /** Called with the new member list after every join or leave. */
    public Runnable onChange(Consumer<List<Node>> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void publish(java.util.Set<Member> members) {
        List<Node> nodes = sorted(members);
        listeners.forEach(l -> l.accept(nodes));
    }

    private static List<Node> sorted(java.util.Collection<Member> members) {
        return members.stream()
                .map(m -> new Node(m.getUuid().toString(), m.getAttribute(ADS_ADDRESS)))
                .sorted(Comparator.comparing(Node::id))
                .toList();
    }

    @Override
    public void close() {
        if (member.isRunning()) member.hazelcast().getCluster().removeMembershipListener(registration);
    }
}
