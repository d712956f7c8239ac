package io.shardgate.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class WatermarkTest {

    @Test
    void aNodeAheadOnOneStreamButBehindOnAnotherDoesNotCoverTheOther() {
        Watermark ingressesAhead = Watermark.NONE.advance("Ingress", 120).advance("Secret", 80);
        Watermark secretsAhead = Watermark.NONE.advance("Ingress", 100).advance("Secret", 90);

        assertThat(ingressesAhead.covers(secretsAhead)).isFalse();
        assertThat(secretsAhead.covers(ingressesAhead)).isFalse();
        // The single number the marks used to carry (the furthest position) would have said ingressesAhead saw all.
        assertThat(ingressesAhead.advance("Secret", 90).covers(secretsAhead)).isTrue();
    }

    @Test
    void aStreamNotSeenCountsAsNothingApplied() {
        Watermark files = Watermark.NONE.advance("files", 5);

        assertThat(Watermark.NONE.covers(files)).isFalse();
        assertThat(files.covers(Watermark.NONE)).isTrue();
        assertThat(files.isAheadOf(Watermark.NONE)).isTrue();
        assertThat(files.isAheadOf(files)).isFalse();
        assertThat(files.covers(files)).isTrue();
    }

    @Test
    void positionsOnlyGrow() {
        Watermark w = Watermark.NONE.advance("Ingress", 10);

        assertThat(w.advance("Ingress", 9)).isSameAs(w);
        assertThat(w.advance("Ingress", 11).positionOf("Ingress")).isEqualTo(11);
        assertThat(w.positionOf("Ingress")).as("immutable").isEqualTo(10);
    }

    @Test
    void textRoundTripsForRandomWatermarks() {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            Watermark w = Watermark.NONE;
            for (int s = random.nextInt(6); s > 0; s--) {
                w = w.advance(new String[] {"Ingress@team-a", "Secret@*", "files", "Service", "EndpointSlice@b"}[random.nextInt(5)],
                        1 + random.nextInt(Integer.MAX_VALUE));
            }
            Watermark read = Watermark.parse(w.text());
            assertThat(read).isEqualTo(w);
            assertThat(read.covers(w) && w.covers(read)).isTrue();
        }
        assertThat(Watermark.NONE.text()).isEqualTo("-");
    }

    @Test
    void malformedTextIsRefused() {
        for (String bad : new String[] {"", "Ingress", "Ingress=", "=5", "Ingress=0", "Ingress=-3", "Ingress=1,Ingress=2",
                "In gress=1", "Ingress=1,", "Ingress=x"}) {
            assertThatThrownBy(() -> Watermark.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Watermark.NONE.advance("a,b", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
