package io.shardgate.node.cluster;

import io.shardgate.cluster.MemberView;
import io.shardgate.cluster.ShardTable;
import io.shardgate.node.ads.ShardRouter;
import io.shardgate.sharding.ShardId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ADS server's view of shard placement: the owner from the cluster's {@link ShardTable} (verified, admitted
 * owners only), its ADS address from the owner's proof of the cluster key ({@link MemberView}). A stream is
 * relayed only to an admitted member, at the address it proved. This node owns a shard when the table names
 * {@link ShardTable#localId()}, or while the table's owner does not serve it and this node holds it translated
 * ({@link ShardTable#servesInTheMeantime}). A node fenced after a pause serves and relays nothing (clients retry
 * elsewhere).
 */
public final class ClusterShardRouter implements ShardRouter {
    private final ShardTable table;
    private final MemberView members;
    private final PauseFence fence;

    public ClusterShardRouter(ShardTable table, MemberView members, PauseFence fence) {
        this.table = table;
        this.members = members;
        this.fence = fence;
    }

    @Override
    public Route route(ShardId shard) {
        if (fence.isFenced()) return Route.UNPLACED;
        if (table.servesInTheMeantime(shard)) return Route.LOCAL;
        Optional<String> owner = table.current().ownerOf(shard);
        if (owner.isEmpty()) return Route.UNPLACED;
        if (owner.get().equals(table.localId())) return Route.LOCAL;
        return members.nodes().stream()
                .filter(n -> n.id().equals(owner.get()) && reachable(n))
                .findFirst()
                .<Route>map(n -> new Remote(n.id(), n.adsAddress()))
                .orElse(Route.UNPLACED);
    }

    @Override
    public Map<String, String> peers() {
        if (fence.isFenced()) return Map.of();
        Map<String, String> peers = new HashMap<>();
        for (MemberView.Node n : members.nodes()) {
            if (!n.id().equals(table.localId()) && reachable(n)) {
                peers.put(n.id(), n.adsAddress());
            }
        }
        return peers;
    }

    /** Whether the member proved an ADS address streams can be relayed to. */
    private static boolean reachable(MemberView.Node n) {
        return n.adsAddress() != null && !n.adsAddress().isBlank();
    }

    @Override
    public boolean servesNothing() {
        return fence.isFenced();
    }

    @Override
    public boolean catchingUp(ShardId shard) {
        return table.catchingUp(shard);
    }

    @Override
    public String localName() {
        return table.localId();
    }

    @Override
    public Runnable onChange(Runnable listener) {
        Runnable offTable = table.onChange(t -> listener.run());
        Runnable offFence = fence.onChange(listener);
        return () -> {
            offTable.run();
            offFence.run();
        };
    }
}
