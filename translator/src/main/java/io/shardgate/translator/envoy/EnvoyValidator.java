package io.shardgate.translator.envoy;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.pgv.ReflectiveValidatorIndex;
import io.envoyproxy.pgv.ValidationException;
import io.envoyproxy.pgv.ValidatorIndex;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Envoy's first-pass rules: the protoc-gen-validate validators generated at build time from the Envoy
 * protos. PGV does not look inside {@code Any} fields: every packed config was validated by {@link Packer}
 * before it was packed, so here an Any is only checked to be of a type Shardgate packs, without parsing it.
 */
final class EnvoyValidator implements Function<Message, Optional<String>> {
    private static final List<Descriptor> PACKED_TYPES = List.of(
            HttpConnectionManager.getDescriptor(),
            Router.getDescriptor(),
            TlsInspector.getDescriptor(),
            DownstreamTlsContext.getDescriptor(),
            UpstreamTlsContext.getDescriptor(),
            HttpProtocolOptions.getDescriptor(),
            io.envoyproxy.envoy.extensions.http.early_header_mutation.header_mutation.v3.HeaderMutation.getDescriptor());

    private final ValidatorIndex index = new ReflectiveValidatorIndex();
    private final AnyBearingFields anyBearingFields = new AnyBearingFields();
    private final Set<String> packedTypeUrls = Stream.concat(PACKED_TYPES.stream(), OnDemandCertificates.descriptors().stream())
            .map(Wire::typeUrl)
            .collect(Collectors.toUnmodifiableSet());

    /** The first violation found, or empty when the message is valid and every Any inside it of a type Shardgate packs. */
    @Override
    public Optional<String> apply(Message message) {
        try {
            check(message);
            return Optional.empty();
        } catch (ValidationException e) {
            return Optional.of(e.getMessage());
        }
    }

    private void check(Message message) throws ValidationException {
        if (message instanceof com.google.protobuf.DynamicMessage) {
            String violation = OnDemandCertificates.violation(message);
            if (violation != null) throw new ValidationException(message.getDescriptorForType().getName(), message, violation);
        } else {
            index.validatorFor(message).assertValid(message);
        }
        descend(message);
    }

    /**
     * Looks for Any fields below: the enclosing message's PGV validator already checked everything else.
     * Only fields whose type can reach an Any are looked at (most of a route or listener cannot).
     */
    private void descend(Message message) throws ValidationException {
        for (FieldDescriptor field : anyBearingFields.fieldsOf(message.getDescriptorForType())) {
            if (field.isRepeated()) {
                int count = message.getRepeatedFieldCount(field);
                for (int i = 0; i < count; i++) visit((Message) message.getRepeatedField(field, i));
            } else if (message.hasField(field)) {
                visit((Message) message.getField(field));
            }
        }
    }

    private void visit(Message message) throws ValidationException {
        if (message instanceof Any any) {
            if (!packedTypeUrls.contains(any.getTypeUrl())) {
                throw new ValidationException("Any.type_url", any.getTypeUrl(), "is not a type Shardgate emits");
            }
        } else {
            descend(message);
        }
    }
}
