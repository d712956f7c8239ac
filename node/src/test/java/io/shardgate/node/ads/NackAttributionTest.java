package io.shardgate.node.ads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class NackAttributionTest {
    private static final Set<String> SENT = Set.of("ns/svc:80", "ns/svc", "https", "http");

    @Test
    void takesTheNamesEnvoyListsAsRejected() {
        String message = "Error adding/updating listener(s) https: duplicate filter chain match\nhttp: bad route\n";

        assertThat(NackAttribution.rejectedNames(SENT, message)).containsExactlyInAnyOrder("https", "http");
    }

    @Test
    void doesNotTakeANameForALongerNameItStarts() {
        String message = "Error adding/updating cluster(s) ns/svc:80: invalid load assignment";

        assertThat(NackAttribution.rejectedNames(SENT, message)).containsExactly("ns/svc:80");
    }

    @Test
    void takesEverythingSentWhenTheMessageNamesNothing() {
        assertThat(NackAttribution.rejectedNames(SENT, "Proto constraint validation failed")).isEqualTo(SENT);
    }
}
