package io.shardgate.translator.gatewayapi;

import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.HttpRouteInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The listeners an HTTPRoute attaches to, on the Gateways of Shardgate's GatewayClasses. */
final class Attachments {
    static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

    /** @param gateway the Shardgate gateway serving the listener: the name of the Gateway's class */
    record Attachment(GatewayInput.Listener listener, String gateway) {}

    private Attachments() {}

    /**
     * Every listener the route attaches to, in parentRef then listener order: a parentRef naming a Gateway of a
     * Shardgate class selects its listeners by sectionName and port, of protocol HTTP, whose allowedRoutes admit
     * the route's namespace (Same or All).
     */
    static List<Attachment> of(HttpRouteInput route, GatewayDefinitions definitions) {
        List<Attachment> out = new ArrayList<>();
        for (HttpRouteInput.ParentRef parent : route.parentRefs()) {
            if (!namesGateway(parent)) continue;
            String namespace = parent.namespace() == null ? route.namespace() : parent.namespace();
            Optional<GatewayInput> gateway = definitions.gateway(namespace, parent.name());
            if (gateway.isEmpty()) continue;
            Optional<GatewayClassInput> gatewayClass = definitions.gatewayClass(gateway.get().gatewayClassName());
            if (gatewayClass.isEmpty() || !gatewayClass.get().isShardgate()) continue;
            for (GatewayInput.Listener listener : gateway.get().listeners()) {
                if (parent.sectionName() != null && !parent.sectionName().equals(listener.name())) continue;
                if (parent.port() != null && parent.port() != listener.port()) continue;
                if (!"HTTP".equals(listener.protocol())) continue;
                if (!admits(listener, gateway.get(), route)) continue;
                out.add(new Attachment(listener, gatewayClass.get().name()));
            }
        }
        return out;
    }

    private static boolean namesGateway(HttpRouteInput.ParentRef parent) {
        return (parent.group() == null || parent.group().equals(GATEWAY_GROUP))
                && (parent.kind() == null || parent.kind().equals("Gateway"));
    }

    /** Selector (namespaces by label) is not read yet, so it admits nothing. */
    private static boolean admits(GatewayInput.Listener listener, GatewayInput gateway, HttpRouteInput route) {
        String from = Objects.requireNonNullElse(listener.allowedNamespaces(), "Same");
        return switch (from) {
            case "All" -> true;
            case "Same" -> gateway.namespace().equals(route.namespace());
            default -> false;
        };
    }
}
