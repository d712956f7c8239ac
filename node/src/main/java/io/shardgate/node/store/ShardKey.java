package io.shardgate.node.store;

/** One shard of one gateway: what an Envoy names in node.cluster and node metadata "shard". */
public record ShardKey(String gateway, int shard) implements Comparable<ShardKey> {

    @Override
    public int compareTo(ShardKey o) {
        int c = gateway.compareTo(o.gateway);
        return c != 0 ? c : Integer.compare(shard, o.shard);
    }

    @Override
    public String toString() {
        return gateway + "/" + shard;
    }
}
