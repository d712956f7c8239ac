package io.shardgate.node.ads;

import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.shardgate.node.store.ShardKey;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

/**
 * Who is asking, from the node of a stream's first request: {@code node.id}, the gateway ({@code node.cluster})
 * and the shard (node metadata field {@value #SHARD_FIELD}, a string or a number; 0 when absent).
 */
public record ClientIdentity(String nodeId, String gateway, int shard) {
    public static final String SHARD_FIELD = "shard";

    public ShardKey shardKey() {
        return new ShardKey(gateway, shard);
    }

    /** @throws StatusException INVALID_ARGUMENT when the node does not say which gateway and shard it serves */
    public static ClientIdentity of(Node node) {
        if (node.getCluster().isEmpty()) {
            throw invalid("node.cluster must name the gateway (the IngressClass) this Envoy serves; node.id='"
                    + node.getId() + "'");
        }
        return new ClientIdentity(node.getId(), node.getCluster(), shardOf(node));
    }

    private static int shardOf(Node node) {
        Value value = node.getMetadata().getFieldsMap().get(SHARD_FIELD);
        if (value == null) return 0;
        switch (value.getKindCase()) {
            case NUMBER_VALUE: {
                double n = value.getNumberValue();
                if (n >= 0 && n <= Integer.MAX_VALUE && n == Math.rint(n)) return (int) n;
                break;
            }
            case STRING_VALUE:
                try {
                    int n = Integer.parseInt(value.getStringValue().trim());
                    if (n >= 0) return n;
                } catch (NumberFormatException e) {
                    // reported below
                }
                break;
            default:
                break;
        }
        throw invalid("node metadata '" + SHARD_FIELD + "' must be a non-negative integer (string or number), got "
                + value.toString().trim());
    }

    private static StatusException invalid(String message) {
        return new StatusException(GrpcStatus.INVALID_ARGUMENT, message);
    }
}
