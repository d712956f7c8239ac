package io.shardgate.translator.input;

import java.util.List;

/**
 * v1 Service, projected.
 *
 * @param type        ClusterIP, NodePort, LoadBalancer or ExternalName
 * @param externalName spec.externalName for type ExternalName, else null
 */
public record ServiceInput(String namespace, String name, String type, String externalName, List<Port> ports)
        implements InputObject {

    public ServiceInput {
        ports = List.copyOf(ports);
    }

    @Override
    public ObjectRef ref() {
        return ObjectRef.of(ObjectRef.Kind.SERVICE, namespace, name);
    }

    /** @param name may be null for a single unnamed port; appProtocol may be null */
    public record Port(String name, int port, String protocol, String appProtocol) {}
}
