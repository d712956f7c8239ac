package io.shardgate.node.report;

import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.status.GatewayClassStatus;
import io.shardgate.translator.status.GatewayStatus;
import io.shardgate.translator.status.HttpRouteStatus;
import io.shardgate.translator.status.ListenerSetStatus;
import java.util.List;

/**
 * Writes the status of the Gateway API objects whose status this node is the one to write (docs/gateway-api.md,
 * "Status"). Each call states the whole status wanted now; a repeated wish costs nothing. Calls come from the
 * engine thread and must not block it.
 */
public interface GatewayApiStatusWriter {

    /** Writes nothing: no Kubernetes (the file source). */
    GatewayApiStatusWriter NONE = new GatewayApiStatusWriter() {
        @Override
        public void route(HttpRouteStatus wanted) {}

        @Override
        public void gateway(GatewayStatus wanted, List<String> addresses) {}

        @Override
        public void gatewayClass(GatewayClassStatus wanted) {}

        @Override
        public void listenerSet(ListenerSetStatus wanted) {}

        @Override
        public void released(ObjectRef ref) {}
    };

    /** Shardgate's entries of the route's status.parents; other controllers' entries are kept as they are. */
    void route(HttpRouteStatus wanted);

    /** @param addresses the Gateway's addresses, IPs or DNS names, in the order to publish them (may be empty) */
    void gateway(GatewayStatus wanted, List<String> addresses);

    void gatewayClass(GatewayClassStatus wanted);

    /** The ListenerSet's conditions and listener entries. */
    void listenerSet(ListenerSetStatus wanted);

    /** Another node writes the object's status from now on, or the object is gone: forget it, write nothing. */
    void released(ObjectRef ref);
}
