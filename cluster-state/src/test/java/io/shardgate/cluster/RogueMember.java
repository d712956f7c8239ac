package io.shardgate.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.Map;

/**
 * What anyone who reaches the member port can run: a stock Hazelcast member under the cluster's name, with no
 * cluster key, claiming whatever member attributes it likes. It joins: Hazelcast's open-source edition has no
 * member authentication. Only what the honest members verify keeps it from counting.
 *
 * <p>It refuses to deserialise anything but Hazelcast's and the JDK's own classes itself (Hazelcast's default
 * filter), so that a {@link Gadget} it reads back is not counted as read by an honest member of the same JVM.
 */
public final class RogueMember {
    private RogueMember() {}

    static HazelcastInstance join(ClusterMember honest, Map<String, String> attributes) {
        return join(honest.hazelcast().getConfig().getClusterName(), "127.0.0.1:" + honest.localMember().getAddress().getPort(),
                attributes);
    }

    /** @param memberAddress an honest member's address (host:port), or a host whose ports 5701.. are tried */
    public static HazelcastInstance join(String clusterName, String memberAddress, Map<String, String> attributes) {
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setInstanceName("rogue-" + System.nanoTime());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "3");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.tcp.join.port.try.count", "8");
        attributes.forEach(config.getMemberAttributeConfig()::setAttribute);
        config.getSerializationConfig().setJavaSerializationFilterConfig(new JavaSerializationFilterConfig());
        config.getNetworkConfig().setPort(5701).setPortAutoIncrement(true).getInterfaces().setEnabled(true)
                .addInterface("127.0.0.1");
        config.setProperty("hazelcast.local.localAddress", "127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember(memberAddress);
        return Hazelcast.newHazelcastInstance(config);
    }
}
