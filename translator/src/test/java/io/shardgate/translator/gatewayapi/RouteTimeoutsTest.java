package io.shardgate.translator.gatewayapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RouteTimeoutsTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({"0s, 0", "500ms, 500", "10s, 10000", "1h30m, 5400000", "1m1s1ms, 61001", "1h1m1s1ms, 3661001", "99999ms, 99999"})
    void gatewayApiDurations(String text, long millis) {
        assertThat(RouteTimeouts.parse(text)).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "1.5s", "-1s", "100000s", "1h1m1s1ms1h", "10 s", "1d", "10S"})
    void notDurations(String text) {
        assertThat(RouteTimeouts.parse(text)).isEmpty();
    }

    @Test
    void theTighterOfTwoTimeoutsWhereZeroMeansNone() {
        Optional<Duration> none = Optional.empty();
        Optional<Duration> off = Optional.of(Duration.ZERO);
        Optional<Duration> tenSeconds = Optional.of(Duration.ofSeconds(10));
        Optional<Duration> twoSeconds = Optional.of(Duration.ofSeconds(2));
        assertThat(RouteTimeouts.tighter(tenSeconds, twoSeconds)).isEqualTo(twoSeconds);
        assertThat(RouteTimeouts.tighter(twoSeconds, tenSeconds)).isEqualTo(twoSeconds);
        assertThat(RouteTimeouts.tighter(off, tenSeconds)).isEqualTo(tenSeconds);
        assertThat(RouteTimeouts.tighter(tenSeconds, off)).isEqualTo(tenSeconds);
        assertThat(RouteTimeouts.tighter(none, twoSeconds)).isEqualTo(twoSeconds);
        assertThat(RouteTimeouts.tighter(off, none)).isEqualTo(off);
        assertThat(RouteTimeouts.tighter(none, none)).isEmpty();
    }
}
