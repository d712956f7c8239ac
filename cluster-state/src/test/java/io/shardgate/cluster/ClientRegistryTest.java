package io.shardgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientRegistryTest {

    @Test
    void everyMemberSeesEveryClientAndALeaversClientsGo() {
        MemberSettings settings = new MemberSettings("clients-" + System.nanoTime(), "127.0.0.1", 0,
                MemberSettings.Join.TCP, List.of("127.0.0.1"), null, Duration.ofSeconds(3));
        try (ClusterMember a = ClusterMember.start(settings); ClusterMember b = ClusterMember.start(settings);
             ClientRegistry ra = new ClientRegistry(a); ClientRegistry rb = new ClientRegistry(b)) {
            String ida = a.localMember().getUuid().toString();
            String idb = b.localMember().getUuid().toString();
            ra.publish(ida, List.of(new ClientRegistry.ServedClient("envoy-1", "public", 0, "DELTA", ida, "127.0.0.1:1")));
            rb.publish(idb, List.of(new ClientRegistry.ServedClient("envoy-2", "public", 1, "SOTW", idb, "127.0.0.1:2"),
                    new ClientRegistry.ServedClient("envoy-3", "public", 1, "DELTA", idb, "127.0.0.1:2")));

            assertThat(ra.all()).extracting(ClientRegistry.ServedClient::clientId).containsExactly("envoy-1", "envoy-2", "envoy-3");
            assertThat(rb.all()).isEqualTo(ra.all());

            rb.publish(idb, List.of(new ClientRegistry.ServedClient("envoy-3", "public", 1, "DELTA", idb, "127.0.0.1:2")));
            assertThat(ra.all()).extracting(ClientRegistry.ServedClient::clientId).containsExactly("envoy-1", "envoy-3");

            b.close();
            Await.until("the leaver's clients removed", () -> ra.all().stream().noneMatch(c -> c.memberId().equals(idb)));
            assertThat(ra.all()).extracting(ClientRegistry.ServedClient::clientId).containsExactly("envoy-1");
        }
    }
}
