package io.shardgate.translator.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.shardgate.translator.input.GatewayLayout;
import io.shardgate.translator.Problem;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.Translator;
import io.shardgate.translator.TranslatorConfig;
import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.testing.InMemoryInputs;
import io.shardgate.translator.domain.DomainResult;
import io.shardgate.translator.input.IngressInput;
import io.shardgate.translator.input.ServiceInput;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.tls.Fixtures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvoyTranslatorTest {
    private static final TranslatorConfig CONFIG = new TranslatorConfig(8080, 8443, Duration.ofSeconds(5), Duration.ofSeconds(60),
            Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));

    private static final IngressInput WEB = new IngressInput("shop", "web", Instant.EPOCH, "shardgate", Map.of(), null,
            List.of(new IngressInput.Rule("shop.example.com", List.of(
                    new IngressInput.Path("/", "Prefix", IngressInput.Backend.service("api", 80))))),
            List.of());

    private static final List<ServiceInput> SERVICES = List.of(new ServiceInput("shop", "api", "ClusterIP", null,
            List.of(new ServiceInput.Port("http", 80, "TCP", null))));

    private static final DomainInputs INPUTS = new InMemoryInputs(host -> host.equals("shop.example.com") ? List.of(WEB) : List.of(),
            GatewayDefinitions.of(List.of()), SERVICES, List.of(), List.of());

    @Test
    void aValidationFailureRejectsTheDomainInsteadOfThrowing() {
        Translator translator = new EnvoyTranslator(CONFIG,
                m -> m instanceof VirtualHost ? Optional.of("injected violation") : Optional.empty());

        Problem problem = theValidationProblem(translator.translateDomain("shop.example.com", GatewayLayout.CLASSIC, INPUTS));

        assertThat(problem.message()).contains("injected violation");
        assertThat(problem.object()).isEqualTo(WEB.ref());
        assertThat(problem.domain()).isEqualTo("shop.example.com");
    }

    /** The domain is rejected with one problem, a validation failure, and not thrown at its caller. */
    private static Problem theValidationProblem(DomainResult result) {
        assertThat(result).isInstanceOf(DomainResult.Rejected.class);
        assertThat(result.problems()).hasSize(1);
        Problem problem = result.problems().get(0);
        assertThat(problem.reason()).isEqualTo(Reasons.ENVOY_VALIDATION_FAILED);
        return problem;
    }

    @Test
    void aViolationOfAPackedConfigRejectsTheDomainAsAViolationOfItsFilterChain() {
        IngressInput tlsWeb = new IngressInput("shop", "web", Instant.EPOCH, "shardgate", Map.of(), null, WEB.rules(),
                List.of(new IngressInput.Tls(List.of("shop.example.com"), "shop-tls")));
        DomainInputs inputs = new InMemoryInputs(host -> List.of(tlsWeb), GatewayDefinitions.of(List.of()), SERVICES,
                List.of(Fixtures.secret("shop-tls", "shop-rsa.crt", "shop-rsa.key")), List.of());
        Translator translator = new EnvoyTranslator(CONFIG,
                m -> m instanceof DownstreamTlsContext ? Optional.of("injected violation") : Optional.empty());

        Problem problem = theValidationProblem(translator.translateDomain("shop.example.com", GatewayLayout.CLASSIC, inputs));

        assertThat(problem.message()).startsWith("FilterChain for shop.example.com fails Envoy's validation (injected violation)");
    }

    @Test
    void hostIsNormalisedBeforeTranslation() {
        DomainResult result = Translator.create(CONFIG).translateDomain("SHOP.example.com", GatewayLayout.CLASSIC, INPUTS);

        assertThat(result).isInstanceOf(DomainResult.Served.class);
        assertThat(result.host()).isEqualTo("shop.example.com");
        assertThat(((DomainResult.Served) result).httpVirtualHost().orElseThrow().key()).isEqualTo("shop.example.com");
    }

    @Test
    void aHostNobodyClaimsIsRejectedWithoutProblems() {
        DomainResult result = Translator.create(CONFIG).translateDomain("gone.example.com", GatewayLayout.CLASSIC, INPUTS);

        assertThat(result).isInstanceOf(DomainResult.Rejected.class);
        assertThat(result.problems()).isEmpty();
        assertThat(result.sources()).isEmpty();
    }

    @Test
    void secretIsServedOnlyWhenUsable() {
        Translator translator = Translator.create(CONFIG);

        Translator.SecretResult valid = translator.secret(Fixtures.secret("shop-tls", "shop-rsa.crt", "shop-rsa.key"));
        assertThat(valid).isInstanceOfSatisfying(Translator.SecretResult.Valid.class, v -> {
            assertThat(v.resource().type()).isEqualTo(ResourceType.SECRET);
            assertThat(v.resource().name()).isEqualTo("shop/shop-tls");
        });

        Translator.SecretResult expired = translator.secret(Fixtures.secret("old", "short-lived.crt", "short-lived.key"));
        assertThat(expired).isInstanceOfSatisfying(Translator.SecretResult.Invalid.class, i ->
                assertThat(i.problems()).extracting(Problem::reason, Problem::domain)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(Reasons.TLS_CERTIFICATE_EXPIRED, null)));
    }

    @Test
    void compositeHeadersCarryEverythingButTheRepeatedField() throws InvalidProtocolBufferException {
        Translator translator = Translator.create(CONFIG);

        Listener https = Listener.parseFrom(translator.httpsListener(GatewayLayout.CLASSIC).resource().body());
        assertThat(https.getName()).isEqualTo("https");
        assertThat(https.getAddress().getSocketAddress().getPortValue()).isEqualTo(8443);
        assertThat(https.getListenerFiltersList()).extracting(f -> f.getName())
                .containsExactly("envoy.filters.listener.tls_inspector");
        assertThat(https.getFilterChainsList()).isEmpty();

        RouteConfiguration http = RouteConfiguration.parseFrom(translator.httpRouteConfiguration().resource().body());
        assertThat(http.getName()).isEqualTo("http");
        assertThat(http.getVirtualHostsList()).isEmpty();
    }
}
