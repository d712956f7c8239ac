package io.shardgate.translator.envoy;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.core.v3.ConfigSourceProto;
import io.envoyproxy.envoy.config.core.v3.ExtensionProto;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import java.util.List;

/**
 * Envoy's on-demand certificate selector (Envoy 1.37+) with its SNI mapper: a TLS context without certificates of its
 * own that pauses the handshake, fetches the Secret named by the client's SNI over SDS, and resumes. The Envoy API
 * release Shardgate builds with predates both config messages, so they are declared here from their .proto
 * definitions (api/envoy/extensions/transport_sockets/tls/cert_selectors/on_demand_secret/v3/config.proto and
 * .../cert_mappers/sni/v3/config.proto) and built as dynamic messages: same names, numbers and types, so the bytes
 * are those Envoy parses.
 */
public final class OnDemandCertificates {
    static final String SELECTOR = "envoy.tls.certificate_selectors.on_demand_secret";
    static final String SNI_MAPPER = "envoy.tls.certificate_mappers.sni";
    /**
     * The secret name asked for when a client sends no SNI. No resource has it (secret names are hosts, or
     * namespace/name), so the server answers that it does not exist and the handshake fails.
     */
    static final String NO_SNI = "no-sni.invalid";

    static final Descriptor CONFIG = file("envoy/extensions/transport_sockets/tls/cert_selectors/on_demand_secret/v3/config.proto",
            "envoy.extensions.transport_sockets.tls.cert_selectors.on_demand_secret.v3",
            DescriptorProto.newBuilder().setName("Config")
                    .addField(message("config_source", 1, ".envoy.config.core.v3.ConfigSource"))
                    .addField(message("certificate_mapper", 2, ".envoy.config.core.v3.TypedExtensionConfig"))
                    .addField(FieldDescriptorProto.newBuilder().setName("prefetch_secret_names").setNumber(3)
                            .setType(FieldDescriptorProto.Type.TYPE_STRING).setLabel(FieldDescriptorProto.Label.LABEL_REPEATED)
                            .setJsonName("prefetchSecretNames"))
                    .build());

    static final Descriptor SNI = file("envoy/extensions/transport_sockets/tls/cert_mappers/sni/v3/config.proto",
            "envoy.extensions.transport_sockets.tls.cert_mappers.sni.v3",
            DescriptorProto.newBuilder().setName("SNI")
                    .addField(FieldDescriptorProto.newBuilder().setName("default_value").setNumber(1)
                            .setType(FieldDescriptorProto.Type.TYPE_STRING).setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL)
                            .setJsonName("defaultValue"))
                    .build());

    private OnDemandCertificates() {}

    /** The selector: certificates over ADS, named by SNI. */
    static TypedExtensionConfig selector(Packer packer) {
        DynamicMessage sni = DynamicMessage.newBuilder(SNI).setField(SNI.findFieldByName("default_value"), NO_SNI).build();
        DynamicMessage config = DynamicMessage.newBuilder(CONFIG)
                .setField(CONFIG.findFieldByName("config_source"), ConfigSources.ADS)
                .setField(CONFIG.findFieldByName("certificate_mapper"),
                        TypedExtensionConfig.newBuilder().setName(SNI_MAPPER).setTypedConfig(packer.pack(sni)).build())
                .build();
        return TypedExtensionConfig.newBuilder().setName(SELECTOR).setTypedConfig(packer.pack(config)).build();
    }

    /** The descriptors of the two messages declared here, for readers of the packed configs (tests, tools) and the validator. */
    public static List<Descriptor> descriptors() {
        return List.of(CONFIG, SNI);
    }

    /** The rules of the two .proto files (PGV generates no validators for messages it never saw): first violation. */
    static String violation(Message message) {
        if (message.getDescriptorForType() == CONFIG) {
            if (!message.hasField(CONFIG.findFieldByName("config_source"))) return "Config.config_source: is required";
            if (!message.hasField(CONFIG.findFieldByName("certificate_mapper"))) return "Config.certificate_mapper: is required";
        }
        if (message.getDescriptorForType() == SNI && ((String) message.getField(SNI.findFieldByName("default_value"))).isEmpty()) {
            return "SNI.default_value: length must be at least 1";
        }
        return null;
    }

    private static FieldDescriptorProto message(String name, int number, String type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
                .setTypeName(type).setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL).build();
    }

    private static Descriptor file(String path, String pkg, DescriptorProto message) {
        FileDescriptorProto proto = FileDescriptorProto.newBuilder().setName(path).setPackage(pkg).setSyntax("proto3")
                .addDependency("envoy/config/core/v3/config_source.proto")
                .addDependency("envoy/config/core/v3/extension.proto")
                .addMessageType(message)
                .build();
        try {
            return FileDescriptor.buildFrom(proto, new FileDescriptor[] {ConfigSourceProto.getDescriptor(), ExtensionProto.getDescriptor()})
                    .getMessageTypes().get(0);
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException(e);
        }
    }
}
