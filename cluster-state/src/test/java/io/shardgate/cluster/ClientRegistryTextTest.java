package io.shardgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Client ids are client-supplied text: any character must survive the registry, and one bad entry spoils none. */
class ClientRegistryTextTest {

    @Test
    void idsWithTabsNewlinesAndBackslashesRoundTripAndAnEntryThatDoesNotDecodeIsSkipped() {
        MemberSettings settings = new MemberSettings("clients-text-" + System.nanoTime(), "127.0.0.1", 0,
                MemberSettings.Join.NONE, List.of(), null, Duration.ofSeconds(3));
        try (ClusterMember member = ClusterMember.start(settings); ClientRegistry registry = new ClientRegistry(member)) {
            String self = member.localMember().getUuid().toString();
            List<ClientRegistry.ServedClient> clients = List.of(
                    new ClientRegistry.ServedClient("a\tb", "gw\t1", 0, "DELTA", self, "127.0.0.1:1"),
                    new ClientRegistry.ServedClient("line\nforged INFO line", "gw", 1, "SOTW", self, "127.0.0.1:1"),
                    new ClientRegistry.ServedClient("back\\tslash\\", "gw", 2, "SOTW", self, "127.0.0.1:1"));
            registry.publish(self, clients);
            member.hazelcast().<String, String>getMap(ClientRegistry.MAP).set("garbage@" + self, "not\ta\tclient");

            assertThat(registry.all()).containsExactlyInAnyOrderElementsOf(clients);
        }
    }
}
