package io.shardgate.node.ads;

import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import io.vertx.grpc.server.GrpcServerRequest;

/**
 * DeltaAggregatedResources: responses carry changed resources with their own versions (the content hash) and
 * the names removed; initial_resource_versions spare a reconnecting client what it already has.
 */
final class DeltaStream extends AdsStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {

    DeltaStream(GrpcServerRequest<DeltaDiscoveryRequest, DeltaDiscoveryResponse> call, Collaborators with,
            StreamLimits.Permit permit) {
        super(call, with, Protocol.DELTA, permit);
    }

    @Override
    Node nodeOf(DeltaDiscoveryRequest request) {
        return request.getNode();
    }

    @Override
    String typeUrlOf(DeltaDiscoveryRequest request) {
        return request.getTypeUrl();
    }

    @Override
    String responseNonceOf(DeltaDiscoveryRequest request) {
        return request.getResponseNonce();
    }

    @Override
    Status errorOf(DeltaDiscoveryRequest request) {
        return request.hasErrorDetail() ? request.getErrorDetail() : null;
    }

    @Override
    ResponseStyle styleFor(ResourceType type) {
        return ResponseStyle.DELTA;
    }

    @Override
    void updateSubscription(TypeSubscription subscription, DeltaDiscoveryRequest request, int maxNames) {
        checkNames(request.getResourceNamesSubscribeCount(), maxNames);
        checkNames(request.getInitialResourceVersionsCount(), maxNames);
        subscription.subscribe(request.getResourceNamesSubscribeList(), request.getResourceNamesUnsubscribeList(),
                request.getInitialResourceVersionsMap());
        checkNames(subscription.subscribedNames(), maxNames);
    }

    @Override
    ResponseFrame frame(TypeSubscription subscription, ChangeSet changes, String nonce, String version) {
        ResponseFrame frame = new ResponseFrame(DeltaDiscoveryResponse.newBuilder()
                .setTypeUrl(subscription.type().typeUrl())
                .setSystemVersionInfo(version)
                .setNonce(nonce)
                .addAllRemovedResources(changes.removals())
                .build());
        for (XdsResource resource : changes.updates().values()) frame.addResource(resource);
        return frame;
    }
}
