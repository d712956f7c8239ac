package io.shardgate.translator.envoy;

import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import com.google.protobuf.UInt32Value;
import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.input.EndpointSliceInput;
import io.shardgate.translator.input.ServiceInput;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A Service port's endpoints: ready addresses from its EndpointSlices, at the target port the slice
 * lists under the Service port's name, grouped by zone.
 */
final class LoadAssignments {

    /** Sorted by address then port, so the bytes do not depend on slice order. */
    private record HostPort(String address, int port) implements Comparable<HostPort> {
        @Override
        public int compareTo(HostPort o) {
            int c = address.compareTo(o.address);
            return c != 0 ? c : Integer.compare(port, o.port);
        }
    }

    private LoadAssignments() {}

    /**
     * An unnamed port: a Service writes no name, the EndpointSlice controller writes {@code name: ""} for it
     * (and clients may say null): all the same port.
     */
    private static String portName(String name) {
        return name == null ? "" : name;
    }

    static ClusterLoadAssignment loadAssignment(ClusterKey key, Optional<ServiceInput> service, List<EndpointSliceInput> slices) {
        ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(key.endpointsName());
        Optional<ServiceInput.Port> servicePort = service
                .filter(s -> s.namespace().equals(key.namespace()) && s.name().equals(key.service()))
                .flatMap(s -> s.ports().stream().filter(p -> p.port() == key.port()).findFirst());
        if (servicePort.isEmpty()) return cla.build();

        // Zone "" is the endpoints without zone: Envoy's empty Locality.
        SortedMap<String, SortedSet<HostPort>> byZone = new TreeMap<>();
        for (EndpointSliceInput slice : slices) {
            if (!slice.namespace().equals(key.namespace()) || !key.service().equals(slice.serviceName())) continue;
            if ("FQDN".equals(slice.addressType())) continue; // EDS needs IP addresses
            Optional<EndpointSliceInput.Port> targetPort = slice.ports().stream()
                    .filter(p -> portName(p.name()).equals(portName(servicePort.get().name())) && p.port() > 0 && p.port() <= 65535)
                    .findFirst();
            if (targetPort.isEmpty()) continue;
            for (EndpointSliceInput.Endpoint endpoint : slice.endpoints()) {
                if (!endpoint.ready()) continue;
                for (String address : endpoint.addresses()) {
                    // A malformed address would get the whole assignment NACKed: skip just it.
                    if (!IpLiterals.isIpLiteral(address)) continue;
                    byZone.computeIfAbsent(endpoint.zone() == null ? "" : endpoint.zone(), z -> new TreeSet<>())
                            .add(new HostPort(address, targetPort.get().port()));
                }
            }
        }
        for (Map.Entry<String, SortedSet<HostPort>> zone : byZone.entrySet()) {
            // Always set, empty without a zone: gRPC's C-core and JavaScript xDS clients reject a group without one.
            LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder()
                    .setLocality(Locality.newBuilder().setZone(zone.getKey()));
            // Envoy ignores locality weights unless a cluster asks for locality-weighted balancing, but gRPC's
            // xDS clients drop localities without one; the endpoint count keeps zones' shares as they are.
            locality.setLoadBalancingWeight(UInt32Value.of(zone.getValue().size()));
            for (HostPort hp : zone.getValue()) {
                locality.addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder()
                        .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                                .setAddress(hp.address())
                                .setPortValue(hp.port())))));
            }
            cla.addEndpoints(locality);
        }
        return cla.build();
    }
}
