package io.shardgate.translator.envoy;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * For a message type, its message-typed fields through which an {@code Any} can be reached (directly or
 * nested). Computed once per type from the descriptors and cached; thread-safe.
 */
final class AnyBearingFields {
    private final Map<Descriptor, List<FieldDescriptor>> fields = new ConcurrentHashMap<>();
    private final Map<Descriptor, Boolean> reachesAny = new ConcurrentHashMap<>();

    List<FieldDescriptor> fieldsOf(Descriptor type) {
        return fields.computeIfAbsent(type, t -> t.getFields().stream()
                .filter(f -> f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && reachesAny(f.getMessageType()))
                .toList());
    }

    private boolean reachesAny(Descriptor type) {
        Boolean known = reachesAny.get(type);
        if (known != null) return known;
        boolean result = search(type, new HashSet<>());
        reachesAny.put(type, result);
        return result;
    }

    /** Depth-first over the type graph; {@code visiting} breaks recursive types (a cycle adds nothing new). */
    private boolean search(Descriptor type, Set<Descriptor> visiting) {
        if (type.getFullName().equals(Any.getDescriptor().getFullName())) return true;
        Boolean known = reachesAny.get(type);
        if (known != null) return known;
        if (!visiting.add(type)) return false;
        for (FieldDescriptor f : type.getFields()) {
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && search(f.getMessageType(), visiting)) return true;
        }
        return false;
    }
}
