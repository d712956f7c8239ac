package io.shardgate.translator.envoy;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one place the translator makes an {@code Any} (PackerTest checks the compiled classes): a config is checked
 * against Envoy's rules before it is packed, so a resource holding Anys is validated without unpacking them.
 */
final class Packer {
    private final Function<Message, Optional<String>> validator;

    /** @param validator the first Envoy violation of a message, as {@link EnvoyValidator} (tests inject failures) */
    Packer(Function<Message, Optional<String>> validator) {
        this.validator = validator;
    }

    /** The config as an Any of deterministic bytes. @throws PackedViolation if the config breaks Envoy's rules */
    Any pack(Message config) {
        Optional<String> violation = validator.apply(config);
        if (violation.isPresent()) throw new PackedViolation(violation.get());
        return Any.newBuilder().setTypeUrl(Wire.typeUrl(config.getDescriptorForType())).setValue(Wire.bytes(config)).build();
    }

    /**
     * Builds a resource with this packer and validates it. A violation of a config packed meanwhile is the resource's
     * own, as it was when packed configs were unpacked and validated with the resource.
     *
     * @param type the resource's type, which names it in the violation
     * @throws Invalid with the first violation: of a packed config, else of the resource
     */
    <M extends Message> M build(Descriptor type, Supplier<M> resource) throws Invalid {
        M built;
        try {
            built = resource.get();
        } catch (PackedViolation e) {
            throw new Invalid(type, e.getMessage());
        }
        Optional<String> violation = validator.apply(built);
        if (violation.isPresent()) throw new Invalid(type, violation.get());
        return built;
    }

    /** A resource breaks Envoy's rules: a translator bug, turned by the caller into a rejected domain or an error. */
    static final class Invalid extends Exception {
        private final String typeName;
        private final String violation;

        Invalid(Descriptor type, String violation) {
            super(type.getName() + " fails Envoy's validation: " + violation);
            this.typeName = type.getName();
            this.violation = violation;
        }

        /** The resource type's short name, as "FilterChain". */
        String typeName() {
            return typeName;
        }

        String violation() {
            return violation;
        }
    }

    /** Unchecked so builders need not declare it; {@link #build} turns it into {@link Invalid}. */
    private static final class PackedViolation extends RuntimeException {
        PackedViolation(String violation) {
            super(violation);
        }
    }
}
