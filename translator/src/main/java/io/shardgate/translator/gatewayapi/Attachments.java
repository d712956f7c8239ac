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

    /**
     * @param owner   the Gateway object the listener belongs to
     * @param gateway the Shardgate gateway serving the listener: the name of the Gateway's class
     */
    record Attachment(GatewayInput owner, GatewayInput.Listener listener, String gateway) {
        /** An HTTPS listener (TLS terminated by Envoy); else HTTP. */
        boolean isTls() {
            return "HTTPS".equals(listener.protocol());
        }
    }

    private Attachments() {}

    /**
     * Every listener the route attaches to, in parentRef then listener order: a parentRef naming a Gateway of a
     * Shardgate class selects its listeners by sectionName and port, of protocol HTTP or HTTPS (TLS terminated), whose
     * allowedRoutes admit the route's namespace (Same or All).
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
                if (!takesHttpRoutes(listener)) continue;
                if (!admits(listener, gateway.get(), route)) continue;
                out.add(new Attachment(gateway.get(), listener, gatewayClass.get().name()));
            }
        }
        return out;
    }

    /**
     * The listeners through which the route reaches a host: those of the gateway it belongs to (the first it attaches
     * to), whose hostname and the route's hostnames intersect in the host.
     */
    static List<Attachment> reaching(String host, HttpRouteInput route, GatewayDefinitions definitions) {
        List<Attachment> all = of(route, definitions);
        if (all.isEmpty()) return List.of();
        String gateway = all.get(0).gateway();
        return all.stream().filter(a -> a.gateway().equals(gateway))
                .filter(a -> ListenerHostnames.intersect(a.listener().hostname(), route.hostnames()).contains(host))
                .toList();
    }

    private static boolean takesHttpRoutes(GatewayInput.Listener listener) {
        return switch (listener.protocol()) {
            case "HTTP" -> true;
            case "HTTPS" -> listener.tlsMode() == null || listener.tlsMode().equals("Terminate");
            default -> false;
        };
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
