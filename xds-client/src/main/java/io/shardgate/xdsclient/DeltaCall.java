package io.shardgate.xdsclient;

import com.google.rpc.Code;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * DeltaAggregatedResources: requests carry subscription changes; a (re)opened stream tells the server what the
 * client already holds (initial_resource_versions). LDS and CDS use the legacy wildcard (an empty first
 * subscription), as Envoy does.
 */
final class DeltaCall extends AdsCall<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {

    DeltaCall(Listener listener, Node node, boolean nodeOnEveryRequest) {
        super(listener, node, nodeOnEveryRequest);
    }

    @Override
    void open(List<Resume> types) {
        for (Resume resume : types) {
            if (!resume.subscribed()) continue;
            DeltaDiscoveryRequest.Builder request = request(resume.type()).putAllInitialResourceVersions(resume.heldVersions());
            if (!resume.type().isWildcard()) request.addAllResourceNamesSubscribe(resume.names());
            send(request.build());
        }
    }

    @Override
    void acknowledge(Update update, Set<String> names) {
        send(request(update.type()).setResponseNonce(update.nonce()).build());
    }

    @Override
    void reject(Update update, Set<String> names, String message) {
        send(request(update.type())
                .setResponseNonce(update.nonce())
                .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE).setMessage(message))
                .build());
    }

    @Override
    void resubscribe(XdsType type, Set<String> names, Set<String> added, Set<String> removed) {
        send(request(type).addAllResourceNamesSubscribe(added).addAllResourceNamesUnsubscribe(removed).build());
    }

    private DeltaDiscoveryRequest.Builder request(XdsType type) {
        DeltaDiscoveryRequest.Builder request = DeltaDiscoveryRequest.newBuilder().setTypeUrl(type.typeUrl());
        Node node = nodeForRequest();
        if (node != null) request.setNode(node);
        return request;
    }

    @Override
    Update decode(DeltaDiscoveryResponse response) {
        XdsType type = XdsType.ofTypeUrl(response.getTypeUrl());
        if (type == null) return null;
        List<Update.Incoming> resources = new ArrayList<>(response.getResourcesCount());
        for (Resource resource : response.getResourcesList()) {
            resources.add(new Update.Incoming(resource.getName(), resource.getVersion(), resource.getResource().getValue()));
        }
        return new Update(type, response.getNonce(), response.getSystemVersionInfo(), resources,
                response.getRemovedResourcesList(), false);
    }
}
