package io.shardgate.translator.input;

import java.util.List;

/**
 * gateway.networking.k8s.io/v1 GatewayClass, projected. A class whose controllerName is
 * {@value IngressClassInput#CONTROLLER} defines the Shardgate gateway of its name, as an IngressClass does: its
 * Gateways' listeners are served by that gateway's Envoys (docs/gateway-api.md). Its annotations are read as an
 * IngressClass's are.
 *
 * @param generation       metadata.generation (0 when not set, as in files)
 * @param shards           the {@value ManifestDecoder#SHARDS_ANNOTATION} annotation, or null for the node's default
 * @param clientIdentities the {@value IngressClassInput#CLIENT_IDENTITIES_ANNOTATION} annotation; empty for the default
 * @param layout           the {@value GatewayLayout#ANNOTATION} annotation
 */
public record GatewayClassInput(String name, long generation, String controllerName, Integer shards, List<String> clientIdentities,
        GatewayLayout layout) implements InputObject {

    public GatewayClassInput {
        clientIdentities = List.copyOf(clientIdentities);
    }

    /** A class with the node's default shards and client identities, and the default layout. */
    public GatewayClassInput(String name, String controllerName) {
        this(name, 0, controllerName, null, List.of());
    }

    /** A class with the default layout. */
    public GatewayClassInput(String name, long generation, String controllerName, Integer shards, List<String> clientIdentities) {
        this(name, generation, controllerName, shards, clientIdentities, GatewayLayout.CLASSIC);
    }

    public boolean isShardgate() {
        return IngressClassInput.CONTROLLER.equals(controllerName);
    }

    @Override
    public ObjectRef ref() {
        return ObjectRef.of(ObjectRef.Kind.GATEWAY_CLASS, "", name);
    }
}
