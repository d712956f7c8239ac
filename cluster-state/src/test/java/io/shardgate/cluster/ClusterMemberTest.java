package io.shardgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterMemberTest {

    @Test
    void standaloneMemberRunsAloneWithFastFailureDetection() {
        MemberSettings settings = new MemberSettings("test-" + System.nanoTime(), "127.0.0.1", 0,
                MemberSettings.Join.NONE, List.of(), null, Duration.ofSeconds(3));
        try (ClusterMember member = ClusterMember.start(settings)) {
            assertThat(member.isRunning()).isTrue();
            assertThat(member.members()).containsExactly(member.localMember());
            assertThat(member.hazelcast().getConfig().getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("3");
            assertThat(member.hazelcast().getConfig().getProperty("hazelcast.shutdownhook.policy")).isEqualTo("GRACEFUL");
        }
    }

    @Test
    void twoMembersJoinOverLoopback() {
        String cluster = "test-" + System.nanoTime();
        MemberSettings first = new MemberSettings(cluster, "127.0.0.1", 0, MemberSettings.Join.TCP,
                List.of("127.0.0.1"), null, Duration.ofSeconds(3));
        try (ClusterMember a = ClusterMember.start(first); ClusterMember b = ClusterMember.start(first)) {
            assertThat(a.members()).hasSize(2);
            assertThat(b.members()).containsExactlyInAnyOrderElementsOf(a.members());
        }
    }

    @Test
    void rejectsSettingsThatCannotWork() {
        assertThatThrownBy(() -> new MemberSettings("c", "127.0.0.1", 0, MemberSettings.Join.NONE, List.of(), null,
                Duration.ofMillis(500))).hasMessageContaining("at least 2s");
        assertThatThrownBy(() -> new MemberSettings("c", "127.0.0.1", 0, MemberSettings.Join.KUBERNETES, List.of(), "",
                Duration.ofSeconds(5))).hasMessageContaining("headless Service");
    }
}
