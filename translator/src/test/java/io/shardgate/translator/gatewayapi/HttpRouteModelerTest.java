package io.shardgate.translator.gatewayapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.translator.InputLimits;
import io.shardgate.translator.Problem;
import io.shardgate.translator.TranslatorConfig;
import io.shardgate.translator.claim.DomainOutcome;
import io.shardgate.translator.domain.ClaimedHosts;
import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.testing.InMemoryInputs;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HttpRouteModelerTest {
    private static final HttpRouteModeler MODELER = new HttpRouteModeler(TranslatorConfig.defaults(),
            new io.shardgate.translator.tls.CertificateInspector());
    private static GatewayDefinitions definitions(GatewayInput... gateways) {
        List<io.shardgate.translator.input.InputObject> objects = new java.util.ArrayList<>(List.of(
                new GatewayClassInput("public", IngressClassInput.CONTROLLER),
                new GatewayClassInput("internal", IngressClassInput.CONTROLLER),
                new GatewayClassInput("theirs", "example.com/other")));
        objects.addAll(List.of(gateways));
        return GatewayDefinitions.of(objects);
    }

    private static GatewayInput gateway(String name, String className, String hostname) {
        return new GatewayInput("infra", name, 1, className, List.of(new GatewayInput.Listener("http", hostname, 80, "HTTP", "All")));
    }

    private static HttpRouteInput route(List<String> parents, List<String> hostnames) {
        return new HttpRouteInput("shop", "store", 1, Instant.EPOCH,
                parents.stream().map(p -> new HttpRouteInput.ParentRef(null, null, "infra", p, null, null)).toList(),
                hostnames, List.of(new HttpRouteInput.Rule(List.of(), List.of())));
    }

    @Test
    void aRouteBelongsToTheFirstShardgateGatewayItAttachesToAndClaimsOnlyItsListeners() {
        GatewayDefinitions definitions = definitions(gateway("a", "theirs", null), gateway("b", "public", "*.example.com"),
                gateway("c", "internal", null));
        HttpRouteInput route = route(List.of("missing", "a", "b", "c"), List.of("store.example.com", "store.example.net"));

        assertThat(MODELER.claimOf(route, definitions).map(ClaimedHosts::gateway)).contains("public");
        assertThat(MODELER.claimOf(route, definitions).orElseThrow().hosts()).as("only gateway public's listener, which admits *.example.com")
                .containsExactly("store.example.com");
        assertThat(MODELER.claimOf(route(List.of("a", "missing"), List.of()), definitions)).isEmpty();
    }

    @Test
    void hostsBeyondTheLimitAreLeftOutAndReported() {
        List<String> hostnames = IntStream.rangeClosed(0, InputLimits.MAX_HOSTS_PER_CLAIM)
                .mapToObj(i -> String.format("h%04d.example.com", i)).toList();
        HttpRouteInput route = route(List.of("b"), hostnames);
        GatewayDefinitions definitions = definitions(gateway("b", "public", null));

        List<String> hosts = MODELER.claimOf(route, definitions).orElseThrow().hosts();
        assertThat(hosts).hasSize(InputLimits.MAX_HOSTS_PER_CLAIM).doesNotContain("h1000.example.com");
        DomainOutcome outcome = MODELER.model("h0000.example.com", List.of(route), List.of(), InMemoryInputs.of(definitions));
        assertThat(((DomainOutcome.Modelled) outcome).model().problems()).extracting(Problem::reason).contains("InputTooLarge");
    }
}
