package io.shardgate.cluster;

/** A member as a Shardgate node runs one: its admitted-member view and its shard table, with the cluster key. */
record HonestMember(ClusterMember member, MemberView view, ShardTable table) implements AutoCloseable {
    static final ClusterKey KEY = ClusterKey.random();

    static HonestMember start(MemberSettings settings, String adsAddress) {
        return start(settings, KEY, adsAddress);
    }

    static HonestMember start(MemberSettings settings, ClusterKey key, String adsAddress) {
        HonestMember m = loading(settings, key, adsAddress);
        readyAtOnce(m.table());
        return m;
    }

    /** A member that declares nothing by itself: the test says when its sources synced and what it has translated. */
    static HonestMember loading(MemberSettings settings, ClusterKey key, String adsAddress) {
        ClusterMember member = ClusterMember.start(settings);
        MemberView view = new MemberView(member, key, adsAddress);
        // A catch-up window longer than any test: what a test asserts about it cannot expire under load.
        return new HonestMember(member, view, new ShardTable(member, view, key, java.time.Duration.ofMinutes(10)));
    }

    /**
     * As a node whose sources have synced and that translates any shard in no time: ready for all it is given, and
     * for those it foresees being given (which the table keeps out of its mark until given).
     */
    static void readyAtOnce(ShardTable table) {
        table.declare(java.util.Set.of());
        Runnable translateAll = () -> {
            java.util.Set<io.shardgate.sharding.ShardId> held = new java.util.TreeSet<>(table.current().shardsOf(table.localId()));
            held.addAll(table.incomingHere());
            held.addAll(table.foreseenHere());
            table.declare(held);
        };
        table.onChange(t -> translateAll.run());
        table.onForesight(translateAll);
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
