package io.shardgate.node.cluster;

import io.shardgate.cluster.ShardTable;
import io.shardgate.node.engine.ShardOwnership;
import io.shardgate.node.store.ShardKey;
import io.shardgate.sharding.ShardId;
import java.util.Set;
import java.util.stream.Collectors;

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
    public boolean owns(ShardKey shard) {
        return !fence.isFenced() && table.current().ownerOf(id(shard)).map(table.localId()::equals).orElse(false);
    }

    @Override
    public boolean isAssigned(ShardKey shard) {
        return table.current().ownerOf(id(shard)).isPresent();
    }

    @Override
    public void shardsDefined(Set<ShardKey> shards) {
        table.shardsChanged(shards.stream().map(ClusterOwnership::id).collect(Collectors.toSet()));
    }

    private static ShardId id(ShardKey key) {
        return new ShardId(key.gateway(), key.shard());
    }
}
