package io.shardgate.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checker judges a version by when a node sent it, not by when it arrived. */
class InvariantCheckerTest {
    private static final long MS = 1_000_000;

    @Test
    void aVersionSentBeforeADomainWasServedAnywhereIsNotMissingItHoweverLateItArrives() {
        InvariantChecker checker = new InvariantChecker();
        checker.created(new DomainWriter.Domain("a.example.com", 0, 0));
        checker.created(new DomainWriter.Domain("b.example.com", 0, 0));

        checker.onRoute("envoy-1", 0, "node-0", "v2", Set.of("a.example.com", "b.example.com"), 10 * MS, 1_000);
        // Sent by another node a moment earlier, delivered after: an old view, not a lost domain.
        checker.onRoute("envoy-2", 0, "node-1", "v1", Set.of("a.example.com"), 20 * MS, 999);
        assertThat(checker.violations()).isEmpty();

        // Sent after b was sent elsewhere, and lacking it: the cluster forgot b.
        checker.onRoute("envoy-3", 0, "node-1", "v3", Set.of("a.example.com"), 30 * MS, 1_001);
        assertThat(checker.violations()).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo("MISSING");
            assertThat(v.envoy()).isEqualTo("envoy-3");
            assertThat(v.lacking()).singleElement().asString().startsWith("b.example.com (sent 1 ms earlier)");
        });
    }

    @Test
    void theLongestDeliveryIsHowLongADomainCreatedInTheWindowWaitedForItsFirstEnvoy() {
        InvariantChecker checker = new InvariantChecker();
        checker.created(new DomainWriter.Domain("early.example.com", 0, 100 * MS));
        checker.created(new DomainWriter.Domain("late.example.com", 0, 200 * MS));
        checker.created(new DomainWriter.Domain("never.example.com", 1, 300 * MS));
        checker.onRoute("envoy-1", 0, "node-0", "v1", Set.of("early.example.com"), 150 * MS, 1);
        checker.onRoute("envoy-1", 0, "node-0", "v2", Set.of("early.example.com", "late.example.com"), 2_200 * MS, 2);

        assertThat(checker.longestDeliveryMillis(0, 250 * MS, 9_000 * MS)).as("late waited until 2,200 ms").isEqualTo(2_000);
        assertThat(checker.longestDeliveryMillis(250 * MS, 400 * MS, 5_300 * MS)).as("never has waited until now")
                .isEqualTo(5_000);
        assertThat(checker.longestDeliveryMillis(0, 120 * MS, 9_000 * MS)).as("early only").isEqualTo(50);

        InvariantChecker.Slowest slowest = checker.slowestDelivery(50 * MS, 250 * MS, 9_000 * MS);
        assertThat(slowest.host()).isEqualTo("late.example.com");
        assertThat(slowest.writtenAfterMillis()).isEqualTo(150);
        assertThat(slowest.waitedMillis()).isEqualTo(2_000);
        assertThat(checker.slowestDelivery(250 * MS, 400 * MS, 5_300 * MS).sentAfterMillis()).as("never sent").isEqualTo(-1);
        assertThat(checker.slowestDelivery(500 * MS, 600 * MS, 5_300 * MS)).as("nothing written then").isNull();
    }
}
