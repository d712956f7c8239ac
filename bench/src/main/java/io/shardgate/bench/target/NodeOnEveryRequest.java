package io.shardgate.bench.target;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * java-control-plane finds a request's node group from the node in that request, so it needs the node in every
 * request (Envoy's default). The simulated fleet, like Envoy with {@code set_node_on_first_message_only}, sends it
 * on the first request of a stream only; this puts the stream's node back into the requests that lack it.
 */
final class NodeOnEveryRequest implements ServerInterceptor {

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private Node node;

            @Override
            @SuppressWarnings("unchecked")
            public void onMessage(Q message) {
                if (message instanceof DiscoveryRequest r) {
                    if (r.hasNode()) node = r.getNode();
                    else if (node != null) message = (Q) r.toBuilder().setNode(node).build();
                } else if (message instanceof DeltaDiscoveryRequest r) {
                    if (r.hasNode()) node = r.getNode();
                    else if (node != null) message = (Q) r.toBuilder().setNode(node).build();
                }
                super.onMessage(message);
            }
        };
    }
}
