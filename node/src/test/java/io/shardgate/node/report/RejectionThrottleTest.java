package io.shardgate.node.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.node.ads.Nack;
import io.shardgate.sharding.ShardId;
import io.shardgate.translator.resource.ResourceType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RejectionThrottleTest {
    private static final ShardId SHARD = new ShardId("public", 0);

    @Test
    void aResourceIsReportedOncePerIntervalHoweverManyNacksNameIt() {
        AtomicLong now = new AtomicLong();
        List<Nack> passed = new ArrayList<>();
        RejectionThrottle throttle = new RejectionThrottle(Duration.ofMinutes(1), now::get, passed::add);

        for (int i = 0; i < 25_000; i++) {
            throttle.onNack(nack("envoy-" + (i % 20), Map.of("https-a.example.com", "v1")));
            now.addAndGet(1_000_000);
        }
        throttle.onNack(nack("envoy-1", Map.of("https-a.example.com", "v1", "https-b.example.com", "v1")));

        assertThat(passed).extracting(Nack::rejectedVersions).containsExactly(
                Map.of("https-a.example.com", "v1"), Map.of("https-b.example.com", "v1"));
        assertThat(throttle.dropped()).isEqualTo(24_999);

        now.addAndGet(Duration.ofMinutes(1).toNanos());
        throttle.onNack(nack("envoy-3", Map.of("https-a.example.com", "v2")));
        assertThat(passed).hasSize(3);
        assertThat(passed.get(2).errorMessage()).isEqualTo("bad");
    }

    @Test
    void theSameNameInAnotherShardOrTypeIsItsOwnResource() {
        List<Nack> passed = new ArrayList<>();
        RejectionThrottle throttle = new RejectionThrottle(Duration.ofMinutes(1), () -> 0, passed::add);

        throttle.onNack(nack("e", Map.of("x", "v")));
        throttle.onNack(new Nack("e", new ShardId("public", 1), ResourceType.ROUTE, Map.of("x", "v"), "bad"));
        throttle.onNack(new Nack("e", SHARD, ResourceType.SECRET, Map.of("x", "v"), "bad"));

        assertThat(passed).hasSize(3);
    }

    private static Nack nack(String nodeId, Map<String, String> rejected) {
        return new Nack(nodeId, SHARD, ResourceType.ROUTE, rejected, "bad");
    }
}
