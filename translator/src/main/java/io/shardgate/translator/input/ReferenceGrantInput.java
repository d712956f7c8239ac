package io.shardgate.translator.input;

import java.util.List;

/**
 * gateway.networking.k8s.io ReferenceGrant (v1beta1, or v1), projected: which objects of other namespaces may refer
 * to which objects of the grant's own namespace. Fields are kept as written.
 */
public record ReferenceGrantInput(String namespace, String name, List<From> from, List<To> to) implements InputObject {

    public ReferenceGrantInput {
        from = List.copyOf(from);
        to = List.copyOf(to);
    }

    @Override
    public ObjectRef ref() {
        return ObjectRef.of(ObjectRef.Kind.REFERENCE_GRANT, namespace, name);
    }

    /** @param group "" for the core group */
    public record From(String group, String kind, String namespace) {}

    /** @param group "" for the core group; @param name null: every object of the kind */
    public record To(String group, String kind, String name) {}
}
