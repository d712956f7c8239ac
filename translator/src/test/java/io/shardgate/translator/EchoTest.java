package io.shardgate.translator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EchoTest {

    @Test
    void quotesEscapesAndShortens() {
        assertThat(Echo.quote("/a\"b\\c")).isEqualTo("\"/a\\\"b\\\\c\"");
        assertThat(Echo.quote("line\nforged\tentry")).isEqualTo("\"line\\u000aforged\\u0009entry\"");
        String echoed = Echo.quote("x".repeat(20_000));
        assertThat(echoed).hasSizeLessThan(Echo.MAX + 40).endsWith("…(20000 characters)");
        assertThat(Echo.quote(null)).isEqualTo("null");
    }
}
