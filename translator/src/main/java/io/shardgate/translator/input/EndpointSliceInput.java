package io.shardgate.translator.input;

import java.util.List;

/**
 * discovery.k8s.io/v1 EndpointSlice, projected.
 *
 * @param serviceName the kubernetes.io/service-name label
 * @param addressType IPv4, IPv6 or FQDN
 */
public record EndpointSliceInput(
        String namespace, String name, String serviceName, String addressType, List<Port> ports, List<Endpoint> endpoints)
        implements InputObject {

    public EndpointSliceInput {
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
    }

    @Override
    public ObjectRef ref() {
        return ObjectRef.of(ObjectRef.Kind.ENDPOINT_SLICE, namespace, name);
    }

    /** @param name may be null (matches an unnamed Service port) */
    public record Port(String name, int port, String protocol) {}

    /** @param ready conditions.ready, where an absent condition counts as ready (API semantics); zone may be null */
    public record Endpoint(List<String> addresses, boolean ready, String zone) {
        public Endpoint {
            addresses = List.copyOf(addresses);
        }
    }
}
