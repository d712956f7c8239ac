package io.shardgate.translator.input;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * gateway.networking.k8s.io/v1 Gateway, projected: its class and its listeners.
 *
 * @param generation       metadata.generation (0 when not set, as in files): what its status's observedGeneration names
 * @param clientValidation spec.tls.frontend's client certificate validation, or null when it asks for none
 * @param requestedAddresses spec.addresses' values as written (a Shardgate gateway's addresses are its fleet's)
 * @param allowedListeners spec.allowedListeners.namespaces.from as written: None (also when null), Same, All or Selector
 * @param listenerSetSelector spec.allowedListeners.namespaces.selector, or null
 */
public record GatewayInput(String namespace, String name, long generation, String gatewayClassName, List<Listener> listeners,
        ClientValidation clientValidation, List<String> requestedAddresses, String allowedListeners,
        LabelSelector listenerSetSelector) implements InputObject {

    public GatewayInput {
        listeners = List.copyOf(listeners);
        requestedAddresses = List.copyOf(requestedAddresses);
    }

    /** A Gateway whose allowedListeners select no namespaces by label. */
    public GatewayInput(String namespace, String name, long generation, String gatewayClassName, List<Listener> listeners,
            ClientValidation clientValidation, List<String> requestedAddresses, String allowedListeners) {
        this(namespace, name, generation, gatewayClassName, listeners, clientValidation, requestedAddresses, allowedListeners, null);
    }

    /** A Gateway allowing no ListenerSets (the specification's default). */
    public GatewayInput(String namespace, String name, long generation, String gatewayClassName, List<Listener> listeners,
            ClientValidation clientValidation, List<String> requestedAddresses) {
        this(namespace, name, generation, gatewayClassName, listeners, clientValidation, requestedAddresses, null);
    }

    /** A Gateway asking for no client certificate validation and no addresses. */
    public GatewayInput(String namespace, String name, long generation, String gatewayClassName, List<Listener> listeners) {
        this(namespace, name, generation, gatewayClassName, listeners, null, List.of());
    }

    /**
     * Where spec.tls.frontend asks that clients present a valid certificate: @param allPorts its default does,
     * @param ports the ports its perPort entries do so for
     */
    public record ClientValidation(boolean allPorts, List<Integer> ports) {
        public ClientValidation {
            ports = List.copyOf(ports);
        }

        public boolean covers(int port) {
            return allPorts || ports.contains(port);
        }
    }

    @Override
    public ObjectRef ref() {
        return ObjectRef.of(ObjectRef.Kind.GATEWAY, namespace, name);
    }

    /**
     * Whether the Gateway admits ListenerSets of the namespace: None (the default) admits none, Same its own namespace,
     * All every one, Selector those whose Namespace object's labels the selector matches (none while the Namespace is
     * unknown, or the selector missing).
     *
     * @param namespaces looks a Namespace object up by name; asked only for Selector
     */
    public boolean allowsListenerSetsFrom(String setNamespace, Function<String, Optional<NamespaceInput>> namespaces) {
        if (allowedListeners == null) return false;
        return switch (allowedListeners) {
            case "All" -> true;
            case "Same" -> namespace.equals(setNamespace);
            case "Selector" -> listenerSetSelector != null
                    && namespaces.apply(setNamespace).map(n -> listenerSetSelector.matches(n.labels())).orElse(false);
            default -> false;
        };
    }

    /** Whether which ListenerSets it admits depends on their Namespace's labels. */
    public boolean selectsListenerSetsByLabel() {
        return "Selector".equals(allowedListeners);
    }

    /**
     * @param hostname          null: every host
     * @param protocol          HTTP, HTTPS, TLS, TCP or UDP, as written
     * @param allowedNamespaces allowedRoutes.namespaces.from as written: Same (also when null), All or Selector
     * @param tlsMode           tls.mode as written: Terminate (also when null) or Passthrough
     * @param certificateRefs   tls.certificateRefs as written
     * @param allowedKinds      allowedRoutes.kinds as written; empty: the kinds the protocol takes
     * @param namespaceSelector allowedRoutes.namespaces.selector, or null
     */
    public record Listener(String name, String hostname, int port, String protocol, String allowedNamespaces, String tlsMode,
            List<CertificateRef> certificateRefs, List<RouteKind> allowedKinds, LabelSelector namespaceSelector) {
        public Listener {
            certificateRefs = List.copyOf(certificateRefs);
            allowedKinds = List.copyOf(allowedKinds);
        }

        /** A listener without a namespace selector. */
        public Listener(String name, String hostname, int port, String protocol, String allowedNamespaces, String tlsMode,
                List<CertificateRef> certificateRefs, List<RouteKind> allowedKinds) {
            this(name, hostname, port, protocol, allowedNamespaces, tlsMode, certificateRefs, allowedKinds, null);
        }

        /** A listener taking the kinds its protocol takes. */
        public Listener(String name, String hostname, int port, String protocol, String allowedNamespaces, String tlsMode,
                List<CertificateRef> certificateRefs) {
            this(name, hostname, port, protocol, allowedNamespaces, tlsMode, certificateRefs, List.of());
        }

        /** A listener without TLS settings. */
        public Listener(String name, String hostname, int port, String protocol, String allowedNamespaces) {
            this(name, hostname, port, protocol, allowedNamespaces, null, List.of(), List.of());
        }
    }

    /** A route kind a listener allows: @param group null: gateway.networking.k8s.io */
    public record RouteKind(String group, String kind) {}

    /**
     * A listener's certificate: @param group null or "" with kind null or "Secret" is a Secret; namespace null: the
     * Gateway's own
     */
    public record CertificateRef(String group, String kind, String namespace, String name) {}
}
