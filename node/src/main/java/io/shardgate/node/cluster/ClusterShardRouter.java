package io.shardgate.node.cluster;

import io.shardgate.cluster.MemberView;
import io.shardgate.cluster.ShardTable;
import io.shardgate.node.ads.ShardRouter;
import io.shardgate.node.store.ShardKey;
import io.shardgate.sharding.ShardId;
import java.util.Optional;

/**
 * The ADS server's view of shard placement: the owner from the cluster's {@link ShardTable}, its ADS address
 * from the member attribute {@link MemberView#ADS_ADDRESS}. This node owns a shard when the table names
 * {@link ShardTable#localId()}.
 */
public final class ClusterShardRouter implements ShardRouter {
    private final ShardTable table;
    private final MemberView members;

    public ClusterShardRouter(ShardTable table, MemberView members) {
        this.table = table;
        this.members = members;
    }

    @Override
    public Route route(ShardKey shard) {
        Optional<String> owner = table.current().ownerOf(new ShardId(shard.gateway(), shard.shard()));
        if (owner.isEmpty()) return Route.UNPLACED;
        if (owner.get().equals(table.localId())) return Route.LOCAL;
        return members.nodes().stream()
                .filter(n -> n.id().equals(owner.get()) && n.adsAddress() != null && !n.adsAddress().isBlank())
                .findFirst()
                .<Route>map(n -> new Remote(n.id(), n.adsAddress()))
                .orElse(Route.UNPLACED);
    }

    @Override
    public String localName() {
        return table.localId();
    }

    @Override
    public Runnable onChange(Runnable listener) {
        return table.onChange(t -> listener.run());
    }
}
