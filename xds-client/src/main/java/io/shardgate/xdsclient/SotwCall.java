package io.shardgate.xdsclient;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** StreamAggregatedResources: each request states the full set of names and the last accepted version. */
final class SotwCall extends AdsCall<DiscoveryRequest, DiscoveryResponse> {
    private final Map<XdsType, String> lastNonce = new EnumMap<>(XdsType.class);
    private final Map<XdsType, String> acceptedVersion = new EnumMap<>(XdsType.class);

    SotwCall(Listener listener, Node node, boolean nodeOnEveryRequest) {
        super(listener, node, nodeOnEveryRequest);
    }

    @Override
    void open(List<Resume> types) {
        for (Resume resume : types) {
            if (!resume.subscribed()) continue;
            acceptedVersion.put(resume.type(), resume.acceptedVersion());
            send(request(resume.type(), resume.names(), null));
        }
    }

    @Override
    void acknowledge(Update update, Set<String> names) {
        lastNonce.put(update.type(), update.nonce());
        acceptedVersion.put(update.type(), update.version());
        send(request(update.type(), names, null));
    }

    @Override
    void reject(Update update, Set<String> names, String message) {
        lastNonce.put(update.type(), update.nonce());
        send(request(update.type(), names,
                com.google.rpc.Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE).setMessage(message).build()));
    }

    @Override
    void resubscribe(XdsType type, Set<String> names, Set<String> added, Set<String> removed) {
        send(request(type, names, null));
    }

    private DiscoveryRequest request(XdsType type, Set<String> names, com.google.rpc.Status error) {
        DiscoveryRequest.Builder request = DiscoveryRequest.newBuilder()
                .setTypeUrl(type.typeUrl())
                .setVersionInfo(acceptedVersion.getOrDefault(type, ""))
                .setResponseNonce(lastNonce.getOrDefault(type, ""))
                .addAllResourceNames(names);
        Node node = nodeForRequest();
        if (node != null) request.setNode(node);
        if (error != null) request.setErrorDetail(error);
        return request.build();
    }

    @Override
    Update decode(DiscoveryResponse response) {
        XdsType type = XdsType.ofTypeUrl(response.getTypeUrl());
        if (type == null) return null;
        List<Update.Incoming> resources = new ArrayList<>(response.getResourcesCount());
        for (Any any : response.getResourcesList()) {
            resources.add(new Update.Incoming(ResourceNames.nameOf(any.getValue()), response.getVersionInfo(), any.getValue()));
        }
        return new Update(type, response.getNonce(), response.getVersionInfo(), resources, List.of(), type.isWildcard());
    }
}
