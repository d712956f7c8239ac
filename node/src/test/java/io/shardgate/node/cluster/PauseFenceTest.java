package io.shardgate.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PauseFenceTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicInteger catchUps = new AtomicInteger();
    private final AtomicInteger changes = new AtomicInteger();
    private final PauseFence fence = new PauseFence(now::get, Duration.ofSeconds(5), Duration.ofSeconds(3),
            Duration.ofSeconds(25), catchUps::incrementAndGet);

    PauseFenceTest() {
        fence.onChange(changes::incrementAndGet);
        fence.tick();
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    /** Ticks every 200 ms for {@code d}. */
    private void run(Duration d) {
        for (long t = 0; t < d.toMillis(); t += 200) {
            advance(Duration.ofMillis(200));
            fence.tick();
        }
    }

    /** Regular ticks for a second, then one gap of {@code d}. */
    private void pauseFor(Duration d) {
        run(Duration.ofSeconds(1));
        advance(d);
        fence.tick();
    }

    @Test
    void regularTicksAndShortStallsNeverFence() {
        run(Duration.ofSeconds(10));
        advance(Duration.ofSeconds(4));
        fence.tick();
        assertThat(fence.isFenced()).isFalse();
        assertThat(catchUps).hasValue(0);
        assertThat(fence.pauses()).isZero();
    }

    @Test
    void aPauseCountsFromTheMomentTheNodeWakesBeforeTheTimerTicks() {
        run(Duration.ofSeconds(1));
        advance(Duration.ofSeconds(6));
        assertThat(fence.isFenced()).as("woken, not yet ticked").isTrue();
        assertThat(changes).as("listeners hear of it from the tick").hasValue(0);

        fence.tick();
        assertThat(fence.isFenced()).isTrue();
        assertThat(catchUps).hasValue(1);
    }

    @Test
    void startingTakesAsLongAsItTakesWithoutCountingAsAPause() {
        PauseFence starting = new PauseFence(now::get, Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(25),
                catchUps::incrementAndGet);
        advance(Duration.ofSeconds(20));
        assertThat(starting.isFenced()).isFalse();
        starting.tick();
        advance(Duration.ofMillis(200));
        starting.tick();
        assertThat(starting.isFenced()).isFalse();
        assertThat(starting.pauses()).isZero();
    }

    @Test
    void aNodeDroppedByTheClusterStaysFencedUntilCaughtUpAndMergedBack() {
        pauseFor(Duration.ofSeconds(6));
        assertThat(fence.isFenced()).isTrue();
        assertThat(catchUps).as("the source was asked to catch up").hasValue(1);
        assertThat(changes).hasValue(1);

        fence.memberRemoved();
        fence.caughtUp();
        run(Duration.ofSeconds(8));
        assertThat(fence.isFenced()).as("dropped: caught up is not enough, it must merge back first").isTrue();

        fence.merged();
        assertThat(fence.isFenced()).isFalse();
        assertThat(changes).hasValue(2);
        assertThat(fence.pauses()).isEqualTo(1);
    }

    @Test
    void aRemovalSeenJustBeforeThePauseIsDetectedStillCounts() {
        run(Duration.ofSeconds(1));
        advance(Duration.ofSeconds(6));
        fence.memberRemoved(); // Hazelcast's threads woke first
        fence.tick();
        fence.caughtUp();
        run(Duration.ofSeconds(5));
        assertThat(fence.isFenced()).isTrue();
    }

    @Test
    void aNodeNotDroppedIsReleasedOnceCaughtUpAndQuiet() {
        pauseFor(Duration.ofSeconds(5));
        assertThat(fence.isFenced()).isTrue();
        run(Duration.ofSeconds(4));
        assertThat(fence.isFenced()).as("not caught up yet").isTrue();
        fence.caughtUp();
        assertThat(fence.isFenced()).isFalse();
    }

    @Test
    void theFenceLiftsAtItsLimitWhateverHappens() {
        pauseFor(Duration.ofSeconds(30));
        fence.memberRemoved();
        run(Duration.ofSeconds(24));
        assertThat(fence.isFenced()).isTrue();
        run(Duration.ofSeconds(2));
        assertThat(fence.isFenced()).isFalse();
    }

    @Test
    void aSecondPauseWhileFencedStartsOver() {
        pauseFor(Duration.ofSeconds(6));
        fence.caughtUp();
        pauseFor(Duration.ofSeconds(6));
        assertThat(catchUps).hasValue(2);
        run(Duration.ofSeconds(4));
        assertThat(fence.isFenced()).as("the first catch-up no longer counts").isTrue();
        fence.caughtUp();
        assertThat(fence.isFenced()).isFalse();
        assertThat(fence.pauses()).isEqualTo(2);
    }
}
