package io.shardgate.translator.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.IngressInput;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewaySelectorTest {
    private static final IngressClassInput OURS = new IngressClassInput("public", IngressClassInput.CONTROLLER, false, null);
    private static final IngressClassInput OURS_DEFAULT = new IngressClassInput("internal", IngressClassInput.CONTROLLER, true, null);
    private static final IngressClassInput THEIRS_DEFAULT = new IngressClassInput("nginx", "k8s.io/ingress-nginx", true, null);

    private static IngressInput ingress(String className) {
        return new IngressInput("ns", "web", Instant.EPOCH, className, Map.of(), null, List.of(), List.of());
    }

    @Test
    void namedClassMustBeAShardgateClass() {
        assertThat(GatewaySelector.gatewayOf(ingress("public"), List.of(OURS, THEIRS_DEFAULT))).contains("public");
        assertThat(GatewaySelector.gatewayOf(ingress("nginx"), List.of(OURS, THEIRS_DEFAULT))).isEmpty();
        assertThat(GatewaySelector.gatewayOf(ingress("missing"), List.of(OURS))).isEmpty();
    }

    @Test
    void noClassMeansTheSingleDefaultShardgateClass() {
        assertThat(GatewaySelector.gatewayOf(ingress(null), List.of(OURS, OURS_DEFAULT, THEIRS_DEFAULT))).contains("internal");
        assertThat(GatewaySelector.gatewayOf(ingress(null), List.of(OURS))).isEmpty();
        IngressClassInput secondDefault = new IngressClassInput("edge", IngressClassInput.CONTROLLER, true, null);
        assertThat(GatewaySelector.gatewayOf(ingress(null), List.of(OURS_DEFAULT, secondDefault))).isEqualTo(Optional.empty());
    }
}
