package io.shardgate.translator.domain;

import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ListenerSetInput;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.input.NamespaceInput;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The objects that define gateways, which a host claim looks up to find its gateway and its hosts. The node's
 * input index implements it; tests implement it over a list of objects.
 *
 * <p>A Gateway may have 100,000 ListenerSets, so nothing here hands out all of them: a route looks up the one it
 * names, and a listener's conflicts are judged by asking who claims its port and hostname first.
 */
public interface GatewayDefinitions {

    /** Every IngressClass, of any controller. */
    Collection<IngressClassInput> ingressClasses();

    Optional<GatewayClassInput> gatewayClass(String name);

    Optional<GatewayInput> gateway(String namespace, String name);

    Optional<ListenerSetInput> listenerSet(String namespace, String name);

    /**
     * Of the listeners on the port of the ListenerSets the Gateway admits ({@link GatewayInput#allowsListenerSetsFrom}),
     * the first in the specification's precedence ({@link ListenerSetInput#PRECEDENCE}, then the order of listeners
     * in a set): the one whose protocol the port has, unless the Gateway has listeners of its own there.
     */
    Optional<ListenerSetInput.Claimant> firstListenerSetListener(ObjectRef gateway, int port);

    /** As {@link #firstListenerSetListener(ObjectRef, int)}, among those listeners of that hostname (null: none). */
    Optional<ListenerSetInput.Claimant> firstListenerSetListener(ObjectRef gateway, int port, String hostname);

    /** A Namespace, for its labels (what allowedRoutes.namespaces.selector matches); empty when not known. */
    Optional<NamespaceInput> namespace(String name);

    /** The definitions among a list of objects. Lookups scan the list: for tests, not for scale. */
    static GatewayDefinitions of(Collection<? extends InputObject> objects) {
        List<IngressClassInput> ingressClasses = only(objects, IngressClassInput.class);
        List<GatewayClassInput> gatewayClasses = only(objects, GatewayClassInput.class);
        List<GatewayInput> gateways = only(objects, GatewayInput.class);
        List<NamespaceInput> namespaces = only(objects, NamespaceInput.class);
        List<ListenerSetInput> listenerSets = only(objects, ListenerSetInput.class).stream().sorted(ListenerSetInput.PRECEDENCE).toList();
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
            public Optional<ListenerSetInput> listenerSet(String namespace, String name) {
                return listenerSets.stream().filter(s -> s.namespace().equals(namespace) && s.name().equals(name)).findFirst();
            }

            @Override
            public Optional<ListenerSetInput.Claimant> firstListenerSetListener(ObjectRef gateway, int port) {
                return admittedListeners(gateway).filter(c -> c.listener().port() == port).findFirst();
            }

            @Override
            public Optional<ListenerSetInput.Claimant> firstListenerSetListener(ObjectRef gateway, int port, String hostname) {
                return admittedListeners(gateway)
                        .filter(c -> c.listener().port() == port && Objects.equals(c.listener().hostname(), hostname)).findFirst();
            }

            @Override
            public Optional<NamespaceInput> namespace(String name) {
                return namespaces.stream().filter(n -> n.name().equals(name)).findFirst();
            }

            private Stream<ListenerSetInput.Claimant> admittedListeners(ObjectRef gateway) {
                Optional<GatewayInput> parent = gateway(gateway.namespace(), gateway.name());
                if (parent.isEmpty()) return Stream.empty();
                return listenerSets.stream()
                        .filter(s -> gateway.equals(s.gateway()) && parent.get().allowsListenerSetsFrom(s.namespace(), this::namespace))
                        .flatMap(s -> s.listeners().stream().map(l -> new ListenerSetInput.Claimant(s, l)));
            }
        };
    }

    private static <T> List<T> only(Collection<? extends InputObject> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
