package io.shardgate.node.cluster;

import io.shardgate.cluster.ShardTable;
import io.shardgate.node.engine.ShardOwnership;
import io.shardgate.sharding.ShardId;
import java.util.Set;

/** Shard ownership read from the cluster-wide {@link ShardTable}. */
public final class ClusterOwnership implements ShardOwnership {
    private final ShardTable table;
    private final PauseFence fence;

    public ClusterOwnership(ShardTable table, PauseFence fence) {
        this.table = table;
        this.fence = fence;
    }

    /** False for every shard while the node is fenced after a pause. */
    @Override
    public boolean owns(ShardId shard) {
        return !fence.isFenced() && table.current().ownerOf(shard).map(table.localId()::equals).orElse(false);
    }

    @Override
    public boolean isAssigned(ShardId shard) {
        return table.current().ownerOf(shard).isPresent();
    }

    @Override
    public void shardsDefined(Set<ShardId> shards) {
        table.shardsChanged(shards);
    }

}
