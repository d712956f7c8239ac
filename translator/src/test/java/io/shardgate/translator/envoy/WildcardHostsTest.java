package io.shardgate.translator.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;

class WildcardHostsTest {

    private static Pattern authority(String host) {
        return Pattern.compile(WildcardHosts.oneLabelMatcher(host).orElseThrow().getStringMatch().getSafeRegex().getRegex());
    }

    @Test
    void aWildcardCoversExactlyOneLabelWithOrWithoutAPort() {
        Pattern p = authority("*.foo.com");
        assertThat(p.matches("bar.foo.com")).isTrue();
        assertThat(p.matches("BAR.foo.com:8443")).isTrue();
        assertThat(p.matches("baz.bar.foo.com")).isFalse();
        assertThat(p.matches("baz.bar.foo.com:80")).isFalse();
        assertThat(p.matches(".foo.com")).isFalse();
    }

    @Test
    void onlyWildcardHostsGetTheMatcher() {
        assertThat(WildcardHosts.oneLabelMatcher("bar.foo.com")).isEmpty();
        assertThat(WildcardHosts.oneLabelMatcher("*")).isEmpty();
    }

    @Test
    void theLongestAllowedSuffixStaysAShortRegex() {
        String host = "*." + "a.".repeat(io.shardgate.translator.InputLimits.MAX_WILDCARD_SUFFIX_LABELS - 1) + "com";
        assertThat(authority(host).matches("x." + host.substring(2))).isTrue();
        assertThat(WildcardHosts.oneLabelMatcher(host).orElseThrow().getStringMatch().getSafeRegex().getRegex()).hasSizeLessThan(60);
    }
}
