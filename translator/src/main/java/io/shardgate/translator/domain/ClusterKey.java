package io.shardgate.translator.domain;

/**
 * An upstream cluster: one Service port spoken to with one protocol. Shared by every route that uses it.
 *
 * @param port     the Service port number (named ports are resolved by the translator)
 * @param protocol how Envoy talks to the backend (backend-protocol annotation)
 */
public record ClusterKey(String namespace, String service, int port, UpstreamProtocol protocol)
        implements Comparable<ClusterKey> {

    public enum UpstreamProtocol { HTTP, HTTP2, HTTPS, GRPC, GRPCS }

    /** The CDS name: {@code namespace/service:port}, with {@code /protocol} appended unless plain HTTP. */
    public String clusterName() {
        String base = endpointsName();
        return protocol == UpstreamProtocol.HTTP ? base : base + "/" + protocol.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The EDS name, shared by every protocol variant of the same Service port. */
    public String endpointsName() {
        return namespace + "/" + service + ":" + port;
    }

    @Override
    public int compareTo(ClusterKey o) {
        return clusterName().compareTo(o.clusterName());
    }
}
