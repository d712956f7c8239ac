package io.shardgate.translator.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FieldDescriptor;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import org.junit.jupiter.api.Test;

class AnyBearingFieldsTest {
    private final AnyBearingFields fields = new AnyBearingFields();

    @Test
    void keepsOnlyFieldsThroughWhichAnAnyCanBeReached() {
        assertThat(fields.fieldsOf(FilterChain.getDescriptor())).extracting(FieldDescriptor::getName)
                .contains("filters", "transport_socket").doesNotContain("filter_chain_match", "name");
        assertThat(fields.fieldsOf(Listener.getDescriptor())).extracting(FieldDescriptor::getName)
                .contains("filter_chains", "listener_filters").doesNotContain("name");
        assertThat(fields.fieldsOf(RouteConfiguration.getDescriptor())).extracting(FieldDescriptor::getName)
                .contains("virtual_hosts", "typed_per_filter_config");
        assertThat(fields.fieldsOf(SocketAddress.getDescriptor())).isEmpty();
    }
}
