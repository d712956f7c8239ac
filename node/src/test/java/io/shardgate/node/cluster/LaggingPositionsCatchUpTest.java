package io.shardgate.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LaggingPositionsCatchUpTest {
    private final AtomicLong clock = new AtomicLong();
    private final AtomicBoolean behind = new AtomicBoolean();
    private final AtomicInteger lists = new AtomicInteger();
    private CompletableFuture<Void> listing = new CompletableFuture<>();
    private final LaggingPositionsCatchUp catchUp = new LaggingPositionsCatchUp(behind::get, () -> {
        lists.incrementAndGet();
        return listing;
    }, clock::get, Duration.ofSeconds(2), Duration.ofSeconds(30));

    private void at(long seconds) {
        clock.set(Duration.ofSeconds(seconds).toNanos());
        catchUp.tick();
    }

    @Test
    void listsAgainOnlyAfterTheMoveHasWaitedTheGrace() {
        at(0);
        behind.set(true);
        at(1);
        at(2);
        assertThat(lists).as("waiting less than the grace: a change may still be on its way").hasValue(0);
        at(3);
        assertThat(lists).hasValue(1);
    }

    @Test
    void aWaitThatEndsBeforeTheGraceListsNothingAndTheNextWaitStartsAgain() {
        behind.set(true);
        at(0);
        at(1);
        behind.set(false);
        at(2);
        behind.set(true);
        at(3);
        at(4);
        assertThat(lists).hasValue(0);
        at(5);
        assertThat(lists).hasValue(1);
    }

    @Test
    void neverTwiceAtOnceAndAtMostOncePerInterval() {
        behind.set(true);
        at(0);
        at(2);
        assertThat(lists).hasValue(1);
        at(40);
        assertThat(lists).as("still listing: not again").hasValue(1);
        listing.complete(null);
        listing = new CompletableFuture<>();
        at(41);
        assertThat(lists).as("done, and 30 s since the last").hasValue(2);
        listing.complete(null);
        at(50);
        assertThat(lists).as("within the interval").hasValue(2);
        at(71);
        assertThat(lists).hasValue(3);
        assertThat(catchUp.catchUps()).isEqualTo(3);
    }
}
