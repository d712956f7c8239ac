package io.shardgate.translator.input;

/**
 * networking.k8s.io/v1 IngressClass, projected. A class whose controller is {@code shardgate.io/controller}
 * is a gateway; its name is the gateway name Envoys put in node.cluster.
 *
 * @param isDefault the ingressclass.kubernetes.io/is-default-class annotation is "true"
 * @param shards    the shardgate.io/shards annotation, or null to use the node's default
 */
public record IngressClassInput(String name, String controller, boolean isDefault, Integer shards)
        implements InputObject {

    public static final String CONTROLLER = "shardgate.io/controller";

    public boolean isShardgate() {
        return CONTROLLER.equals(controller);
    }

    @Override
    public ObjectRef ref() {
        return ObjectRef.of(ObjectRef.Kind.INGRESS_CLASS, "", name);
    }
}
