package io.shardgate.translator.input;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * v1 Namespace, projected to its labels: what a listener's allowedRoutes.namespaces.selector is matched against.
 */
public record NamespaceInput(String name, SortedMap<String, String> labels) implements InputObject {

    public NamespaceInput(String name, Map<String, String> labels) {
        this(name, new TreeMap<>(labels));
    }

    public NamespaceInput {
        labels = new TreeMap<>(labels);
    }

    @Override
    public ObjectRef ref() {
        return ObjectRef.of(ObjectRef.Kind.NAMESPACE, "", name);
    }
}
