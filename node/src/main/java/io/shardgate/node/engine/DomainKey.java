package io.shardgate.node.engine;

/** One domain of one gateway. */
record DomainKey(String gateway, String host) {
    @Override
    public String toString() {
        return gateway + "/" + host;
    }
}
