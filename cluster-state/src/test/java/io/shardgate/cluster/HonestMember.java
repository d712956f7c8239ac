package io.shardgate.cluster;

/** A member as a Shardgate node runs one: its admitted-member view and its shard table, with the cluster key. */
record HonestMember(ClusterMember member, MemberView view, ShardTable table) implements AutoCloseable {
    static final ClusterKey KEY = ClusterKey.random();

    static HonestMember start(MemberSettings settings, String adsAddress) {
        return start(settings, KEY, adsAddress);
    }

    static HonestMember start(MemberSettings settings, ClusterKey key, String adsAddress) {
        ClusterMember member = ClusterMember.start(settings);
        MemberView view = new MemberView(member, key, adsAddress);
        return new HonestMember(member, view, new ShardTable(member, view, key));
    }

    String id() {
        return member.localMember().getUuid().toString();
    }

    /** The member's address, for a {@link RogueMember} to join. */
    String address() {
        return "127.0.0.1:" + member.localMember().getAddress().getPort();
    }

    @Override
    public void close() {
        table.close();
        view.close();
        member.close();
    }
}
