package io.shardgate.translator.input;

import java.util.Arrays;
import java.util.List;

/**
 * networking.k8s.io/v1 IngressClass, projected. A class whose controller is {@code shardgate.io/controller}
 * is a gateway; its name is the gateway name Envoys put in node.cluster.
 *
 * @param isDefault the ingressclass.kubernetes.io/is-default-class annotation is "true"
 * @param shards    the shardgate.io/shards annotation, or null to use the node's default
 * @param clientIdentities the {@value #CLIENT_IDENTITIES_ANNOTATION} annotation: the client certificate identities
 *     (SPIFFE URIs, or DNS names) of the Envoys that may serve this gateway; empty for the node's default
 * @param layout    the {@value GatewayLayout#ANNOTATION} annotation
 */
public record IngressClassInput(String name, String controller, boolean isDefault, Integer shards,
        List<String> clientIdentities, GatewayLayout layout) implements InputObject {

    public static final String CONTROLLER = "shardgate.io/controller";
    public static final String CLIENT_IDENTITIES_ANNOTATION = "shardgate.io/client-identities";

    public IngressClassInput {
        clientIdentities = List.copyOf(clientIdentities);
    }

    /** A class with the default client identities and layout. */
    public IngressClassInput(String name, String controller, boolean isDefault, Integer shards) {
        this(name, controller, isDefault, shards, List.of());
    }

    /** A class with the default layout. */
    public IngressClassInput(String name, String controller, boolean isDefault, Integer shards, List<String> clientIdentities) {
        this(name, controller, isDefault, shards, clientIdentities, GatewayLayout.CLASSIC);
    }

    /** The annotation's value as a list: comma-separated, blanks dropped; empty for null. */
    public static List<String> parseIdentities(String annotation) {
        if (annotation == null) return List.of();
        return Arrays.stream(annotation.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }

    public boolean isShardgate() {
        return CONTROLLER.equals(controller);
    }

    @Override
    public ObjectRef ref() {
        return ObjectRef.of(ObjectRef.Kind.INGRESS_CLASS, "", name);
    }
}
