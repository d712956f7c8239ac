package io.shardgate.node.cluster;

import io.shardgate.cluster.ShardTable;
import io.shardgate.node.engine.ShardOwnership;
import io.shardgate.sharding.ShardId;
import io.shardgate.sharding.Watermark;
import java.util.Set;

/** Shard ownership read from the cluster-wide {@link ShardTable}, and what this node is ready to serve told to it. */
public final class ClusterOwnership implements ShardOwnership {
    private final ShardTable table;
    private final PauseFence fence;

    public ClusterOwnership(ShardTable table, PauseFence fence) {
        this.table = table;
        this.fence = fence;
    }

    /**
     * The shards the table gives this node, those moving to it (translated here before it takes them over), and
     * those of a member that left which the next table will most likely give it (translated while the table is
     * written); none while the node is fenced after a pause.
     */
    @Override
    public boolean owns(ShardId shard) {
        if (fence.isFenced()) return false;
        return table.current().ownerOf(shard).map(table.localId()::equals).orElse(false) || table.incomingHere().contains(shard)
                || table.servesInTheMeantime(shard) || table.foreseenHere().contains(shard);
    }

    /** A fenced node says nothing is ready: the table then gives it nothing and moves its shards at once. */
    @Override
    public void declare(Set<ShardId> ready, Watermark watermark) {
        table.declare(fence.isFenced() ? null : ready, watermark);
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
