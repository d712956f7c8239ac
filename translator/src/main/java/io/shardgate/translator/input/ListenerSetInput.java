package io.shardgate.translator.input;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * gateway.networking.k8s.io/v1 ListenerSet, projected: the Gateway it adds listeners to, and those listeners (a
 * ListenerEntry has the fields of a Gateway's listener, so it is projected as one). Which listeners serve, and for
 * whom, is the translator's to judge (docs/gateway-api.md, "ListenerSet").
 *
 * @param generation        metadata.generation (0 when not set, as in files): what its status's observedGeneration names
 * @param creationTimestamp what orders ListenerSets in conflict: the older one's listener wins
 * @param parentRef         spec.parentRef as written
 */
public record ListenerSetInput(String namespace, String name, long generation, Instant creationTimestamp, ParentRef parentRef,
        List<GatewayInput.Listener> listeners) implements InputObject {

    /**
     * The specification's precedence between ListenerSets of one Gateway: the older first, then by namespace and name.
     * (The Gateway's own listeners come before every ListenerSet's.)
     */
    public static final Comparator<ListenerSetInput> PRECEDENCE = Comparator
            .comparing(ListenerSetInput::creationTimestamp)
            .thenComparing(ListenerSetInput::namespace)
            .thenComparing(ListenerSetInput::name);

    public ListenerSetInput {
        listeners = List.copyOf(listeners);
    }

    @Override
    public ObjectRef ref() {
        return ObjectRef.of(ObjectRef.Kind.LISTENER_SET, namespace, name);
    }

    /**
     * The Gateway the ListenerSet names, or null when its parentRef names another kind (group and kind default to
     * gateway.networking.k8s.io and Gateway; the namespace to the ListenerSet's).
     */
    public ObjectRef gateway() {
        boolean group = parentRef.group() == null || parentRef.group().isEmpty() || parentRef.group().equals("gateway.networking.k8s.io");
        boolean kind = parentRef.kind() == null || parentRef.kind().isEmpty() || parentRef.kind().equals("Gateway");
        if (!group || !kind || parentRef.name() == null) return null;
        return ObjectRef.of(ObjectRef.Kind.GATEWAY, parentRef.namespace() == null ? namespace : parentRef.namespace(), parentRef.name());
    }

    /** spec.parentRef: @param namespace null: the ListenerSet's own */
    public record ParentRef(String group, String kind, String namespace, String name) {}

    /**
     * One listener of a ListenerSet, as the lookups by port and hostname return it: the one of highest precedence
     * claims the port (its protocol) and the hostname on that port.
     */
    public record Claimant(ListenerSetInput set, GatewayInput.Listener listener) {
        public boolean is(ListenerSetInput other, GatewayInput.Listener otherListener) {
            return set.ref().equals(other.ref()) && listener.name().equals(otherListener.name());
        }
    }
}
