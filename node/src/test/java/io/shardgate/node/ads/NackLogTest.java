package io.shardgate.node.ads;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NackLogTest {
    @Test
    void logsOneNackPerIntervalAndCountsTheOthersInTheNextLine() {
        AtomicLong now = new AtomicLong();
        NackLog log = new NackLog(Duration.ofSeconds(10), now::get);

        assertThat(log.admit()).as("the first NACK is logged").isZero();
        for (int i = 0; i < 1_000; i++) {
            now.addAndGet(1_000_000); // 1,000 NACKs in one second
            assertThat(log.admit()).isEqualTo(-1);
        }
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(log.admit()).as("the next line says how many were left out").isEqualTo(1_000);
        assertThat(log.admit()).isEqualTo(-1);
    }
}
