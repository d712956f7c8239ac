package io.shardgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import io.shardgate.sharding.ShardId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The member port as an attacker on the network finds it. */
class ClusterChannelTest {
    private static final InetAddress OTHER_LOOPBACK = loopback2();

    private static MemberSettings alone() {
        return new MemberSettings("channel-" + System.nanoTime(), "127.0.0.1", 0, MemberSettings.Join.NONE, List.of(),
                null, Duration.ofSeconds(3));
    }

    @Test
    void theMemberListensOnItsBindAddressOnly() throws IOException {
        assumeTrue(reachesWildcardListenersThrough(OTHER_LOOPBACK), "127.0.0.2 reaches 0.0.0.0 listeners on this host");
        try (ClusterMember member = ClusterMember.start(alone())) {
            int port = member.localMember().getAddress().getPort();
            try (Socket bound = new Socket()) {
                bound.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            }
            assertThatThrownBy(() -> {
                try (Socket other = new Socket()) {
                    other.connect(new InetSocketAddress(OTHER_LOOPBACK, port), 2000);
                }
            }).as("the member port on an address other than --bind-address").isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void aHazelcastClientCannotConnectToTheMemberPort() {
        try (ClusterMember member = ClusterMember.start(alone())) {
            ClientConfig client = new ClientConfig();
            client.setClusterName(member.hazelcast().getConfig().getClusterName());
            client.setInstanceName("rogue-client-" + System.nanoTime());
            client.setProperty("hazelcast.logging.type", "slf4j");
            client.getNetworkConfig().addAddress("127.0.0.1:" + member.localMember().getAddress().getPort())
                    .setSmartRouting(false);
            client.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(3000);
            List<HazelcastInstance> connected = new ArrayList<>();
            try {
                assertThatThrownBy(() -> connected.add(HazelcastClient.newHazelcastClient(client)))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("Unable to connect");
            } finally {
                connected.forEach(HazelcastInstance::shutdown);
            }
            assertThat(member.hazelcast().getClientService().getConnectedClients()).isEmpty();
        }
    }

    @Test
    void aNodeNeverDeserialisesAnObjectAnotherMemberStored() {
        MemberSettings settings = new MemberSettings("gadget-" + System.nanoTime(), "127.0.0.1", 0,
                MemberSettings.Join.TCP, List.of("127.0.0.1"), null, Duration.ofSeconds(3));
        int readsBefore = Gadget.READS.get();
        try (HonestMember honest = HonestMember.start(settings, "127.0.0.1:18000");
             ClientRegistry clients = new ClientRegistry(honest.member())) {
            honest.table().shardsChanged(ShardId.allOf("public", 4));
            Await.until("the honest member's first table", () -> honest.table().current().owners().size() == 4);
            HazelcastInstance rogue = RogueMember.join(honest.member(), Map.of());
            try {
                rogue.getMap(ShardTable.MAP).set(ShardTable.KEY, new Gadget("table"));
                rogue.getMap(ShardTable.DRAINING).set(new Gadget("draining"), "draining");
                rogue.getMap(ShardTable.DRAINING).set(honest.id(), new Gadget("draining"));
                rogue.getMap(MemberView.PROOFS).set(honest.id(), new Gadget("proof"));
                rogue.getMap(MemberView.PROOFS).set(rogue.getCluster().getLocalMember().getUuid().toString(), new Gadget("proof"));
                rogue.getMap(ClientRegistry.MAP).set("envoy@x", new Gadget("client"));

                // Makes the honest member read every map again: a new gateway to place, the debug page's registry.
                List<ShardId> more = new ArrayList<>(ShardId.allOf("public", 4));
                more.add(new ShardId("other", 0));
                honest.table().shardsChanged(more);
                Await.until("a new table placing the new gateway",
                        () -> honest.table().current().ownerOf(new ShardId("other", 0)).isPresent());
                clients.publish(honest.id(), List.of(new ClientRegistry.ServedClient("envoy-1", "public", 0, "DELTA",
                        honest.id(), "127.0.0.1:18000")));
                assertThat(clients.all()).as("the registry still lists the honest clients")
                        .extracting(ClientRegistry.ServedClient::clientId).containsExactly("envoy-1");
                Await.until("the honest member's proof restored", () -> {
                    try {
                        return rogue.getMap(MemberView.PROOFS).get(honest.id()) instanceof String;
                    } catch (RuntimeException refusedByTheRogue) {
                        return false;
                    }
                });
                assertThat(Gadget.READS.get()).as("gadgets deserialised by the honest member").isEqualTo(readsBefore);
            } finally {
                rogue.shutdown();
            }
        }
    }

    private static InetAddress loopback2() {
        try {
            return InetAddress.getByName("127.0.0.2");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True where a socket listening on every interface is reached through {@code address} (Linux: all of 127/8). */
    private static boolean reachesWildcardListenersThrough(InetAddress address) {
        try (ServerSocket any = new ServerSocket(0); Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, any.getLocalPort()), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
