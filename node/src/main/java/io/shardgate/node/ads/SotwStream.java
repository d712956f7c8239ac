package io.shardgate.node.ads;

import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.Collection;

/**
 * StreamAggregatedResources. LDS and CDS responses carry the client's whole set; RDS, EDS and SDS responses
 * carry only the resources that changed (the xDS spec allows it for these types), plus a response whenever
 * the subscribed names change. The version_info is the hash of the (name, version) set the client holds
 * after applying the response.
 */
final class SotwStream extends AdsStream<DiscoveryRequest, DiscoveryResponse> {

    SotwStream(GrpcServerRequest<DiscoveryRequest, DiscoveryResponse> call, Collaborators with,
            StreamLimits.Permit permit) {
        super(call, with, Protocol.SOTW, permit);
    }

    @Override
    Node nodeOf(DiscoveryRequest request) {
        return request.getNode();
    }

    @Override
    String typeUrlOf(DiscoveryRequest request) {
        return request.getTypeUrl();
    }

    @Override
    String responseNonceOf(DiscoveryRequest request) {
        return request.getResponseNonce();
    }

    @Override
    Status errorOf(DiscoveryRequest request) {
        return request.hasErrorDetail() ? request.getErrorDetail() : null;
    }

    @Override
    ResponseStyle styleFor(ResourceType type) {
        return type.isWildcard() ? ResponseStyle.FULL_STATE : ResponseStyle.CHANGED_ONLY;
    }

    @Override
    void updateSubscription(TypeSubscription subscription, DiscoveryRequest request, int maxNames) {
        checkNames(request.getResourceNamesCount(), maxNames);
        subscription.replaceNames(request.getResourceNamesList());
    }

    @Override
    ResponseFrame frame(TypeSubscription subscription, ChangeSet changes, String nonce, String version) {
        Collection<XdsResource> resources = subscription.style() == ResponseStyle.FULL_STATE
                ? subscription.stateAfter(changes)
                : changes.updates().values();
        ResponseFrame frame = new ResponseFrame(DiscoveryResponse.newBuilder()
                .setTypeUrl(subscription.type().typeUrl())
                .setVersionInfo(version)
                .setNonce(nonce)
                .build());
        for (XdsResource resource : resources) frame.addAny(resource);
        return frame;
    }
}
