package io.shardgate.translator.domain;

import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.NamespaceInput;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The objects that define gateways, which a host claim looks up to find its gateway and its hosts. The node's
 * input index implements it; tests implement it over a list of objects.
 */
public interface GatewayDefinitions {

    /** Every IngressClass, of any controller. */
    Collection<IngressClassInput> ingressClasses();

    Optional<GatewayClassInput> gatewayClass(String name);

    Optional<GatewayInput> gateway(String namespace, String name);

    /** A Namespace, for its labels (what allowedRoutes.namespaces.selector matches); empty when not known. */
    Optional<NamespaceInput> namespace(String name);

    /** The definitions among a list of objects. */
    static GatewayDefinitions of(Collection<? extends InputObject> objects) {
        List<IngressClassInput> ingressClasses = objects.stream()
                .filter(IngressClassInput.class::isInstance).map(IngressClassInput.class::cast).toList();
        List<GatewayClassInput> gatewayClasses = objects.stream()
                .filter(GatewayClassInput.class::isInstance).map(GatewayClassInput.class::cast).toList();
        List<GatewayInput> gateways = objects.stream()
                .filter(GatewayInput.class::isInstance).map(GatewayInput.class::cast).toList();
        List<NamespaceInput> namespaces = objects.stream()
                .filter(NamespaceInput.class::isInstance).map(NamespaceInput.class::cast).toList();
        return new GatewayDefinitions() {
            @Override
            public Collection<IngressClassInput> ingressClasses() {
                return ingressClasses;
            }

            @Override
            public Optional<GatewayClassInput> gatewayClass(String name) {
                return gatewayClasses.stream().filter(c -> c.name().equals(name)).findFirst();
            }

            @Override
            public Optional<GatewayInput> gateway(String namespace, String name) {
                return gateways.stream().filter(g -> g.namespace().equals(namespace) && g.name().equals(name)).findFirst();
            }

            @Override
            public Optional<NamespaceInput> namespace(String name) {
                return namespaces.stream().filter(n -> n.name().equals(name)).findFirst();
            }
        };
    }
}
