package io.shardgate.translator.gatewayapi;

import io.shardgate.translator.Echo;
import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.HttpRouteInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The listeners an HTTPRoute attaches to, on the Gateways of Shardgate's GatewayClasses and their ListenerSets. */
final class Attachments {
    static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

    /**
     * @param owner   the Gateway or ListenerSet that declares the listener
     * @param gateway the Shardgate gateway serving the listener: the name of the (parent) Gateway's class
     */
    record Attachment(ListenerOwner owner, GatewayInput.Listener listener, String gateway) {
        /** An HTTPS listener (TLS terminated by Envoy); else HTTP. */
        boolean isTls() {
            return "HTTPS".equals(listener.protocol());
        }
    }

    /** How one parentRef of a route fares, by the specification's reasons for the route's Accepted condition. */
    sealed interface Judgement {
        /** The parentRef names no Gateway of a Shardgate class that exists: its status is not Shardgate's to write. */
        record NotOurs() implements Judgement {}

        /** The Gateway is Shardgate's, but none of its listeners takes the route. */
        record Refused(String gateway, String reason, String message) implements Judgement {}

        /** The listeners that take the route, each sharing at least one host with it. */
        record Attached(String gateway, List<Attachment> listeners) implements Judgement {}
    }

    private Attachments() {}

    /**
     * Every listener the route attaches to, in parentRef then listener order: a parentRef naming a Gateway of a
     * Shardgate class (or a ListenerSet that Gateway admits) selects its listeners by sectionName and port, of protocol HTTP
     * or HTTPS (TLS terminated), in no conflict with another listener of the Gateway, whose allowedRoutes admit the route's
     * namespace (Same, All, or Selector)
     * and whose hostname shares a host with the route's hostnames.
     */
    static List<Attachment> of(HttpRouteInput route, GatewayDefinitions definitions) {
        List<Attachment> out = new ArrayList<>();
        for (HttpRouteInput.ParentRef parent : route.parentRefs()) {
            if (judge(route, parent, definitions) instanceof Judgement.Attached attached) out.addAll(attached.listeners());
        }
        return out;
    }

    /**
     * How the parentRef fares; the first reason that applies is given. A parentRef naming a Gateway attaches to its
     * own listeners only; one naming a ListenerSet (GEP-1713) to that set's listeners only, once its Gateway admits it.
     */
    static Judgement judge(HttpRouteInput route, HttpRouteInput.ParentRef parent, GatewayDefinitions definitions) {
        Optional<ListenerOwner> found = owner(route, parent, definitions);
        Optional<String> shardgate = found.flatMap(o -> shardgateGateway(o, definitions));
        if (shardgate.isEmpty()) return new Judgement.NotOurs();
        ListenerOwner owner = found.get();
        String served = shardgate.get();
        if (!owner.isAdmitted(definitions)) {
            return new Judgement.Refused(served, "NotAllowedByListeners", owner + " is not allowed by its Gateway (spec.allowedListeners)");
        }
        List<GatewayInput.Listener> named = owner.listeners().stream()
                .filter(l -> parent.sectionName() == null || parent.sectionName().equals(l.name()))
                .filter(l -> parent.port() == null || parent.port() == l.port())
                .toList();
        if (named.isEmpty()) {
            return new Judgement.Refused(served, "NoMatchingParent", owner + " has no listener"
                    + (parent.sectionName() == null ? "" : " named " + Echo.quote(parent.sectionName()))
                    + (parent.port() == null ? "" : " on port " + parent.port()));
        }
        List<GatewayInput.Listener> taking = named.stream()
                .filter(l -> takesHttpRoutes(l) && ListenerConflicts.of(owner, l, definitions).isEmpty()
                        && !needsClientValidation(owner.gateway(), l))
                .toList();
        if (taking.isEmpty()) {
            return new Judgement.Refused(served, "NotAllowedByListeners", "no listener of " + owner
                    + " it names takes HTTPRoutes: each has another protocol than HTTP or HTTPS, allows no HTTPRoute, is in conflict,"
                    + " or needs client certificate validation");
        }
        List<GatewayInput.Listener> admitting = taking.stream().filter(l -> admits(l, owner, route, definitions)).toList();
        if (admitting.isEmpty()) {
            return new Judgement.Refused(served, "NotAllowedByListeners", "the allowedRoutes of the listeners of " + owner
                    + " it names do not admit HTTPRoutes of namespace " + route.namespace());
        }
        List<Attachment> sharingHosts = admitting.stream()
                .filter(l -> !ListenerHostnames.intersect(l.hostname(), route.hostnames()).isEmpty())
                .map(l -> new Attachment(owner, l, served))
                .toList();
        if (sharingHosts.isEmpty()) {
            return new Judgement.Refused(served, "NoMatchingListenerHostname", "no hostname of the route matches the hostname"
                    + " of a listener of " + owner + " it names");
        }
        return new Judgement.Attached(served, sharingHosts);
    }

    /**
     * The Shardgate gateway of the route's first parentRef that is Shardgate's to judge (one not {@link Judgement.NotOurs}),
     * whether a listener takes the route or not.
     */
    static Optional<String> firstJudgedParent(HttpRouteInput route, GatewayDefinitions definitions) {
        for (HttpRouteInput.ParentRef parent : route.parentRefs()) {
            Optional<String> gateway = owner(route, parent, definitions).flatMap(o -> shardgateGateway(o, definitions));
            if (gateway.isPresent()) return gateway;
        }
        return Optional.empty();
    }

    /** The name of the (parent) Gateway's class, if it is a Shardgate class. */
    private static Optional<String> shardgateGateway(ListenerOwner owner, GatewayDefinitions definitions) {
        return definitions.gatewayClass(owner.gateway().gatewayClassName()).filter(GatewayClassInput::isShardgate)
                .map(GatewayClassInput::name);
    }

    /** The Gateway, or the ListenerSet with its Gateway, that the parentRef names, if they exist. */
    private static Optional<ListenerOwner> owner(HttpRouteInput route, HttpRouteInput.ParentRef parent, GatewayDefinitions definitions) {
        String namespace = parent.namespace() == null ? route.namespace() : parent.namespace();
        boolean group = parent.group() == null || parent.group().equals(GATEWAY_GROUP);
        if (group && (parent.kind() == null || parent.kind().equals("Gateway"))) {
            return definitions.gateway(namespace, parent.name()).map(ListenerOwner::of);
        }
        if (group && "ListenerSet".equals(parent.kind())) {
            return definitions.listenerSet(namespace, parent.name()).flatMap(set -> ListenerOwner.of(set, definitions));
        }
        return Optional.empty();
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

    /** HTTP, or HTTPS with TLS terminated by Envoy, allowing HTTPRoutes (as its allowedRoutes.kinds do when unset). */
    static boolean takesHttpRoutes(GatewayInput.Listener listener) {
        return servesHttp(listener) && (listener.allowedKinds().isEmpty() || listener.allowedKinds().stream().anyMatch(Attachments::isHttpRoute));
    }

    /** HTTP, or HTTPS with TLS terminated by Envoy: the protocols Shardgate serves. */
    static boolean servesHttp(GatewayInput.Listener listener) {
        return switch (listener.protocol()) {
            case "HTTP" -> true;
            case "HTTPS" -> listener.tlsMode() == null || listener.tlsMode().equals("Terminate");
            default -> false;
        };
    }

    /**
     * An HTTPS listener for which the Gateway's spec.tls.frontend asks that clients present a valid certificate: not
     * supported yet, so the listener is not served rather than served without the check (it fails closed).
     */
    static boolean needsClientValidation(GatewayInput gateway, GatewayInput.Listener listener) {
        return "HTTPS".equals(listener.protocol()) && gateway.clientValidation() != null
                && gateway.clientValidation().covers(listener.port());
    }

    static boolean isHttpRoute(GatewayInput.RouteKind kind) {
        return (kind.group() == null || kind.group().equals(GATEWAY_GROUP)) && "HTTPRoute".equals(kind.kind());
    }

    /**
     * Whether the listener's allowedRoutes.namespaces admit the route's namespace: Same is the namespace of the Gateway or
     * ListenerSet; Selector matches the labels of the route's Namespace (without a selector, or before the Namespace is
     * known, it admits nothing).
     */
    private static boolean admits(GatewayInput.Listener listener, ListenerOwner owner, HttpRouteInput route,
            GatewayDefinitions definitions) {
        String from = Objects.requireNonNullElse(listener.allowedNamespaces(), "Same");
        return switch (from) {
            case "All" -> true;
            case "Same" -> owner.namespace().equals(route.namespace());
            case "Selector" -> listener.namespaceSelector() != null && definitions.namespace(route.namespace())
                    .map(n -> listener.namespaceSelector().matches(n.labels())).orElse(false);
            default -> false;
        };
    }
}
