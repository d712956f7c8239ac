package io.shardgate.translator.input;

/** Identity of a Kubernetes object, used to key inputs and to attribute problems (Events, metrics). */
public record ObjectRef(Kind kind, String namespace, String name) implements Comparable<ObjectRef> {

    public enum Kind { INGRESS, INGRESS_CLASS, SECRET, SERVICE, ENDPOINT_SLICE, GATEWAY_CLASS, GATEWAY, HTTP_ROUTE, REFERENCE_GRANT, LISTENER_SET,
        NAMESPACE }

    public ObjectRef {
        if (kind == null || name == null) throw new IllegalArgumentException("kind and name are required");
        namespace = namespace == null ? "" : namespace;
    }

    public static ObjectRef of(Kind kind, String namespace, String name) {
        return new ObjectRef(kind, namespace, name);
    }

    @Override
    public int compareTo(ObjectRef o) {
        int c = kind.compareTo(o.kind);
        if (c != 0) return c;
        c = namespace.compareTo(o.namespace);
        return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
    }
}
