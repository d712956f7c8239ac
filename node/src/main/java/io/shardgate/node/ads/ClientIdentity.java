package io.shardgate.node.ads;

import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.shardgate.sharding.ShardId;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

/**
 * Who is asking, from the node of a stream's first request: {@code node.id}, the gateway ({@code node.cluster})
 * and the shard (node metadata field {@value #SHARD_FIELD}, a string or a number; 0 when absent).
 *
 * <p>The id and the gateway are echoed in logs, status messages and admin pages, so they are checked here
 * once: at most {@link ClientText#MAX_ID_CHARS} characters, none that could end or disguise a line. No Envoy
 * node id comes near that; a client whose does is refused without its text being echoed.
 */
public record ClientIdentity(String nodeId, String gateway, int shard) {
    public static final String SHARD_FIELD = "shard";

    public ShardId shardId() {
        return new ShardId(gateway, shard);
    }

    /** @throws StatusException INVALID_ARGUMENT when the node does not say which gateway and shard it serves */
    public static ClientIdentity of(Node node) {
        checkEchoable("node.id", node.getId());
        checkEchoable("node.cluster", node.getCluster());
        if (node.getCluster().isEmpty()) {
            throw invalid("node.cluster must name the gateway (the IngressClass or GatewayClass) this Envoy serves; node.id='"
                    + node.getId() + "'");
        }
        if (node.getCluster().indexOf('/') >= 0) {
            throw invalid("node.cluster must be a gateway (IngressClass or GatewayClass) name, which holds no '/'; got '"
                    + node.getCluster() + "'");
        }
        return new ClientIdentity(node.getId(), node.getCluster(), shardOf(node));
    }

    private static void checkEchoable(String field, String value) {
        if (value.length() > ClientText.MAX_ID_CHARS) {
            throw invalid(field + " is " + value.length() + " characters long; at most " + ClientText.MAX_ID_CHARS
                    + " are accepted");
        }
        if (ClientText.hasUnsafe(value)) {
            throw invalid(field + " holds control or formatting characters ('"
                    + ClientText.escape(value, ClientText.MAX_ECHO_CHARS) + "'); use printable characters only");
        }
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
                + ClientText.escape(value.toString().trim(), ClientText.MAX_ECHO_CHARS));
    }

    private static StatusException invalid(String message) {
        return new StatusException(GrpcStatus.INVALID_ARGUMENT, message);
    }
}
