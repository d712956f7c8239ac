package io.shardgate.translator.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.shardgate.translator.input.GatewayLayout;
import org.junit.jupiter.api.Test;

class EnvoyValidatorTest {
    private final EnvoyValidator validator = new EnvoyValidator();
    private final Packer packer = new Packer(validator);

    @Test
    void acceptsWhatTheTranslatorBuilds() {
        assertThat(validator.apply(Listeners.httpsChain(packer, "shop.example.com", "shop/tls"))).isEmpty();
        for (GatewayLayout layout : GatewayLayout.values()) assertThat(validator.apply(Listeners.http(packer, 8080, layout))).isEmpty();
        assertThat(validator.apply(Scopes.scope("http/shop.example.com", "shop.example.com"))).isEmpty();
        for (GatewayLayout layout : GatewayLayout.values()) {
            assertThat(validator.apply(Listeners.httpsHeader(packer, 8443, layout))).isEmpty();
        }
        assertThat(validator.apply(Listeners.httpsHeader(packer, 8443))).isEmpty();
    }

    @Test
    void reportsPgvViolationsWithTheField() {
        VirtualHost noDomains = VirtualHost.newBuilder().setName("shop.example.com").build();

        assertThat(validator.apply(noDomains)).hasValueSatisfying(v -> assertThat(v).contains("domains"));
    }

    @Test
    void trustsAnAnyOfAPackedTypeWithoutParsingIt() {
        // Packer validated the config before packing it: parsing it again here is the cost this validator no longer pays.
        FilterChain chain = FilterChain.newBuilder()
                .addFilters(Filter.newBuilder()
                        .setName("envoy.filters.network.http_connection_manager")
                        .setTypedConfig(Any.newBuilder()
                                .setTypeUrl(Wire.typeUrl(HttpConnectionManager.getDescriptor()))
                                .setValue(ByteString.copyFromUtf8("not protobuf"))))
                .build();

        assertThat(validator.apply(chain)).isEmpty();
    }

    @Test
    void rejectsAnyOfATypeShardgateNeverEmits() {
        FilterChain chain = FilterChain.newBuilder()
                .addFilters(Filter.newBuilder()
                        .setName("mystery")
                        .setTypedConfig(Any.newBuilder().setTypeUrl("type.googleapis.com/some.Unknown")))
                .build();

        assertThat(validator.apply(chain)).hasValueSatisfying(v -> assertThat(v).contains("some.Unknown"));
    }
}
