package io.shardgate.translator.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.translator.input.IngressInput;
import io.shardgate.translator.kube.Hosts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostsTest {

    @Test
    void validatesRfc1123WithLeftmostWildcardOnly() {
        assertThat(Hosts.isValid("shop.example.com")).isTrue();
        assertThat(Hosts.isValid("*.example.com")).isTrue();
        assertThat(Hosts.isValid("*")).isTrue();
        assertThat(Hosts.isValid("localhost")).isTrue();
        assertThat(Hosts.isValid("a".repeat(63) + ".com")).isTrue();

        assertThat(Hosts.isValid("a".repeat(64) + ".com")).isFalse();
        assertThat(Hosts.isValid("*.*.example.com")).isFalse();
        assertThat(Hosts.isValid("a.*.example.com")).isFalse();
        assertThat(Hosts.isValid("*example.com")).isFalse();
        assertThat(Hosts.isValid("under_score.com")).isFalse();
        assertThat(Hosts.isValid("trailing.dot.")).isFalse();
        assertThat(Hosts.isValid("-lead.com")).isFalse();
        assertThat(Hosts.isValid("*.")).isFalse();
        assertThat(Hosts.isValid("")).isFalse();
        assertThat(Hosts.isValid("10.0.0.1")).isFalse();
    }

    @Test
    void claimedHostsIncludeTlsHostsAndTheCatchAllOfADefaultBackendOnlyIngress() {
        IngressInput withRules = new IngressInput("ns", "a", Instant.EPOCH, null, Map.of(), null,
                List.of(new IngressInput.Rule("B.example.com", List.of()), new IngressInput.Rule(null, List.of())),
                List.of(new IngressInput.Tls(List.of("tls-only.example.com"), "s")));
        IngressInput defaultOnly = new IngressInput("ns", "b", Instant.EPOCH, null, Map.of(),
                IngressInput.Backend.service("svc", 80), List.of(), List.of());

        assertThat(IngressHosts.claimedBy(withRules)).containsExactly("*", "b.example.com", "tls-only.example.com");
        assertThat(IngressHosts.claimedBy(defaultOnly)).containsExactly("*");
    }

    @Test
    void anIngressClaimsAtMostTheLimitOfHostsTheFirstInSortedOrder() {
        List<IngressInput.Rule> rules = new java.util.ArrayList<>();
        for (int i = 0; i < io.shardgate.translator.InputLimits.MAX_HOSTS_PER_CLAIM + 5; i++) {
            rules.add(new IngressInput.Rule(String.format("h%05d.example.com", i), List.of()));
        }
        IngressInput huge = new IngressInput("ns", "huge", Instant.EPOCH, null, Map.of(), null, rules, List.of());
        List<String> claimed = IngressHosts.claimedBy(huge);
        assertThat(claimed).hasSize(io.shardgate.translator.InputLimits.MAX_HOSTS_PER_CLAIM)
                .startsWith("h00000.example.com").doesNotContain("h01000.example.com");
    }
}
