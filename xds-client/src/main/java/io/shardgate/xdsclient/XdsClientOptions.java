package io.shardgate.xdsclient;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.function.Consumer;

/**
 * How an {@link XdsClient} connects and who it says it is.
 *
 * @param node sent on the first request of each stream; Shardgate reads the gateway from {@code cluster} and the
 *     shard from metadata {@code shard}
 * @param nodeOnEveryRequest send the node on every request, as Envoy does unless
 *     {@code set_node_on_first_message_only} is set (control planes that look the node up per request need it)
 * @param maxInboundMessageBytes the largest response accepted (a big shard's LDS response is large)
 * @param responseLogLimit how many of the latest responses {@link XdsClient#responses()} keeps
 * @param onArrival called for every new resource version as it arrives, on the client's gRPC thread with the
 *     client's lock held: must be quick (benchmarks record arrival times with it)
 * @param onRemoval called for every resource the client stops holding because the server removed it (a Delta removal, or
 *     a SotW LDS/CDS response without it), on the same thread and terms as {@code onArrival}
 * @param tls null for plaintext; otherwise mTLS with this client certificate against the server's CA
 */
public record XdsClientOptions(
        String host,
        int port,
        Mode mode,
        Node node,
        boolean nodeOnEveryRequest,
        int maxInboundMessageBytes,
        int responseLogLimit,
        Consumer<ReceivedResource> onArrival,
        Consumer<RemovedResource> onRemoval,
        ClientTls tls) {

    /**
     * A client certificate, its key and the CA the server's certificate must chain to (PEM files); the server's
     * certificate must name {@code serverName} (null: the host dialled), as Envoy's {@code sni} would ask.
     */
    public record ClientTls(java.nio.file.Path certificate, java.nio.file.Path key, java.nio.file.Path ca, String serverName) {
        public ClientTls(java.nio.file.Path certificate, java.nio.file.Path key, java.nio.file.Path ca) {
            this(certificate, key, ca, null);
        }
    }

    /** A client for the given gateway and shard, node id {@code nodeId}, loopback-friendly defaults. */
    public static XdsClientOptions of(String host, int port, Mode mode, String nodeId, String gateway, int shard) {
        return new XdsClientOptions(host, port, mode, node(nodeId, gateway, shard), false, Integer.MAX_VALUE, 10_000, r -> {}, r -> {}, null);
    }

    /** An Envoy node: {@code cluster} is the gateway, metadata {@code shard} the shard (a number). */
    public static Node node(String nodeId, String gateway, int shard) {
        return Node.newBuilder()
                .setId(nodeId)
                .setCluster(gateway)
                .setMetadata(Struct.newBuilder().putFields("shard", Value.newBuilder().setNumberValue(shard).build()))
                .build();
    }

    public XdsClientOptions withNode(Node node) {
        return new XdsClientOptions(host, port, mode, node, nodeOnEveryRequest, maxInboundMessageBytes, responseLogLimit, onArrival, onRemoval, tls);
    }

    public XdsClientOptions withNodeOnEveryRequest(boolean every) {
        return new XdsClientOptions(host, port, mode, node, every, maxInboundMessageBytes, responseLogLimit, onArrival, onRemoval, tls);
    }

    public XdsClientOptions withOnArrival(Consumer<ReceivedResource> onArrival) {
        return new XdsClientOptions(host, port, mode, node, nodeOnEveryRequest, maxInboundMessageBytes, responseLogLimit, onArrival, onRemoval, tls);
    }

    public XdsClientOptions withOnRemoval(Consumer<RemovedResource> onRemoval) {
        return new XdsClientOptions(host, port, mode, node, nodeOnEveryRequest, maxInboundMessageBytes, responseLogLimit, onArrival, onRemoval, tls);
    }

    public XdsClientOptions withTls(ClientTls tls) {
        return new XdsClientOptions(host, port, mode, node, nodeOnEveryRequest, maxInboundMessageBytes, responseLogLimit, onArrival, onRemoval, tls);
    }
}
