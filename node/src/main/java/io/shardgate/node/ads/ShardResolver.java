package io.shardgate.node.ads;

import io.shardgate.node.store.ShardDirectory;
import io.shardgate.node.store.ShardDirectory.Lookup;
import io.shardgate.node.store.ShardStore;
import io.shardgate.translator.input.GatewayLayout;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

/** Finds the store a client asks for, or says precisely why there is none. */
final class ShardResolver {
    private final ShardDirectory directory;

    ShardResolver(ShardDirectory directory) {
        this.directory = directory;
    }

    /**
     * @throws StatusException NOT_FOUND for an unknown gateway (naming no other: a client learns nothing about
     *     gateways it does not serve) or shard (with its gateway's shard range); UNAVAILABLE
     *     (retryable) while the node has not loaded its configuration yet and so cannot tell; FAILED_PRECONDITION
     *     for a state-of-the-world stream to a gateway in the scoped layout, which is served over Delta only
     */
    ShardStore resolve(ClientIdentity client, Protocol protocol) {
        Lookup lookup = directory.find(client.gateway(), client.shard());
        if (lookup instanceof Lookup.Found found) {
            if (protocol == Protocol.SOTW && directory.layout(client.gateway()) == GatewayLayout.SCOPED) {
                throw new StatusException(GrpcStatus.FAILED_PRECONDITION, "gateway '" + client.gateway() + "' uses the scoped"
                        + " layout, which is served over Delta ADS only: set ads_config.api_type to DELTA_GRPC");
            }
            return found.store();
        }
        if (!directory.isSynced()) {
            throw new StatusException(GrpcStatus.UNAVAILABLE, "this node is still loading its configuration and does"
                    + " not know gateway '" + client.gateway() + "' yet; retry");
        }
        if (lookup instanceof Lookup.UnknownGateway unknown) {
            throw new StatusException(GrpcStatus.NOT_FOUND, "unknown gateway '" + unknown.gateway()
                    + "' (node.cluster must name the IngressClass this Envoy serves)");
        }
        Lookup.UnknownShard unknown = (Lookup.UnknownShard) lookup;
        throw new StatusException(GrpcStatus.NOT_FOUND, "gateway '" + unknown.gateway() + "' has no shard "
                + unknown.shard() + " (node metadata '" + ClientIdentity.SHARD_FIELD + "'); its shards are 0.."
                + (unknown.shardCount() - 1));
    }
}
