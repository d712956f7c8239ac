package io.shardgate.cluster;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cluster.Member;
import java.util.Set;

/**
 * This node's Hazelcast member: membership, failure detection and the cluster-wide state.
 * Kubernetes stays the source of truth for configuration; nothing here must survive a full restart.
 */
public final class ClusterMember implements AutoCloseable {
    private final HazelcastInstance instance;

    private ClusterMember(HazelcastInstance instance) {
        this.instance = instance;
    }

    public static ClusterMember start(MemberSettings settings) {
        return new ClusterMember(Hazelcast.newHazelcastInstance(config(settings)));
    }

    static Config config(MemberSettings s) {
        Config config = new Config();
        config.setClusterName(s.clusterName());
        config.setInstanceName("shardgate-" + s.bindAddress() + "-" + s.port() + "-" + System.nanoTime());
        long failureSeconds = s.failureTimeout().toSeconds();
        // Fail fast: Hazelcast's defaults (60 s without heartbeat, TERMINATE on shutdown) suit data grids,
        // not a control plane whose Envoys wait for a new owner.
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(failureSeconds));
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        // The node's own shutdown hook leaves the cluster last, after handing its shards over; Hazelcast's hook
        // would run alongside it and leave first. close() leaves gracefully.
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.policy", "GRACEFUL");
        config.setProperty("hazelcast.merge.first.run.delay.seconds", Long.toString(s.mergeDelay().toSeconds()));
        config.setProperty("hazelcast.merge.next.run.delay.seconds", Long.toString(s.mergeDelay().toSeconds()));
        config.setProperty("hazelcast.logging.type", "slf4j");
        // A member listed without a port is looked for on this many ports from 5701 (Hazelcast's default). More is
        // slower to heal: after a split, Hazelcast's search for the other part waits 5 s on every listed address
        // nobody answers on, in random order (with 8, two nodes on one host merged 20 to 40 s after a pause). A
        // fourth or fifth node on one host still joins through the first three.
        config.setProperty("hazelcast.tcp.join.port.try.count", "3");
        config.setProperty("hazelcast.phone.home.enabled", "false");

        // Listen on --bind-address alone (Hazelcast's default listens on every interface whatever it advertises),
        // and speak the member protocol only: the advanced network config opens no endpoint but the member one,
        // where the classic one also accepts Hazelcast clients (and REST or memcache when enabled).
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.local.localAddress", s.bindAddress());
        AdvancedNetworkConfig network = config.getAdvancedNetworkConfig().setEnabled(true);
        ServerSocketEndpointConfig endpoint = new ServerSocketEndpointConfig();
        // As Hazelcast does by default: if the port is taken (several nodes on one host), try the next ones.
        endpoint.setPort(s.port() == 0 ? 5701 : s.port()).setPortAutoIncrement(true);
        endpoint.getInterfaces().setEnabled(true).addInterface(s.bindAddress());
        network.setMemberEndpointConfig(endpoint);
        config.getSerializationConfig().setJavaSerializationFilterConfig(DeserialisationLimits.javaSerialisation());
        config.getSerializationConfig().getCompactSerializationConfig()
                .setZeroConfigFilter(DeserialisationLimits.reflectiveCompact());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        switch (s.join()) {
            case NONE -> {}
            case TCP -> {
                join.getTcpIpConfig().setEnabled(true);
                s.members().forEach(join.getTcpIpConfig()::addMember);
            }
            case KUBERNETES -> join.getKubernetesConfig().setEnabled(true)
                    .setProperty("service-dns", s.dnsService());
        }
        return config;
    }

    public HazelcastInstance hazelcast() {
        return instance;
    }

    public Member localMember() {
        return instance.getCluster().getLocalMember();
    }

    public Set<Member> members() {
        return instance.getCluster().getMembers();
    }

    /**
     * Calls {@code action} (on a Hazelcast thread) each time this member, cut off from the others for longer
     * than the failure timeout, has merged back into the larger cluster. Its member id has changed by then.
     */
    public void onMerged(Runnable action) {
        instance.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == com.hazelcast.core.LifecycleEvent.LifecycleState.MERGED) action.run();
        });
    }

    /** Calls {@code action} (on a Hazelcast thread) each time another member leaves this member's view. */
    public void onMemberRemoved(Runnable action) {
        instance.getCluster().addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
            @Override
            public void memberAdded(com.hazelcast.cluster.MembershipEvent event) {}

            @Override
            public void memberRemoved(com.hazelcast.cluster.MembershipEvent event) {
                action.run();
            }
        });
    }

    public boolean isRunning() {
        return instance.getLifecycleService().isRunning();
    }

    @Override
    public void close() {
        if (instance.getLifecycleService().isRunning()) instance.shutdown();
    }
}
