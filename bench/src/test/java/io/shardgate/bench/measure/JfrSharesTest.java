package io.shardgate.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JfrSharesTest {

    @Test
    void countsSamplesPerThreadGroupAndThoseOfAGroupWithTheMethodOnTheStack() {
        List<JfrShares.Sample> samples = List.of(
                new JfrShares.Sample("vert.x-eventloop-thread-0", List.of("HashSet.add", "TypeSubscription.replaceNames", "AdsStream.onRequest")),
                new JfrShares.Sample("vert.x-eventloop-thread-1", List.of("TypeSubscription.collect", "AdsStream.pass")),
                new JfrShares.Sample("vert.x-eventloop-thread-1", List.of("AdsStream.send")),
                new JfrShares.Sample("shardgate-engine", List.of("TypeSubscription.replaceNames")),
                new JfrShares.Sample("grpc-default-executor-3", List.of("References.of")));

        JfrShares.Figures figures = JfrShares.count("x.jfr", samples,
                List.of("eventloops:TypeSubscription.replaceNames", "eventloops:AdsStream", "fleet:replaceNames"),
                JfrShares.JvmCosts.of(List.of(java.time.Duration.ofMillis(120), java.time.Duration.ofMillis(380)),
                        List.of(java.time.Duration.ofMillis(7))));

        assertThat(figures.samples()).isEqualTo(5);
        assertThat(figures.byGroup()).containsEntry("eventloops", 3L).containsEntry("engine", 1L).containsEntry("fleet", 1L);
        assertThat(figures.shares()).extracting(JfrShares.Share::samples).containsExactly(1L, 3L, 0L);
        assertThat(figures.shares().get(0).ofGroup()).isCloseTo(100.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(figures.shares().get(0).ofAll()).isEqualTo(20.0);
        assertThat(figures.jvm()).isEqualTo(new JfrShares.JvmCosts(2, 500.0, 1, 7.0));
    }

    @Test
    void threadsOfNoKnownGroupAreOther() {
        assertThat(JfrShares.group("JFR Periodic Tasks")).isEqualTo("other");
        assertThat(JfrShares.group("ForkJoinPool.commonPool-worker-1")).isEqualTo("pool");
    }
}
