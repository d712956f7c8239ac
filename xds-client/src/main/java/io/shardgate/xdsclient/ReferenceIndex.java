package io.shardgate.xdsclient;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The names of one type referenced by any resource, with reference counts, so changes cost what changed. */
final class ReferenceIndex {
    private final Map<String, Set<String>> byOwner = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();

    /** Sets what {@code owner} references; names that gained or lost their last reference go to added/removed. */
    void set(String owner, Set<String> referenced, Set<String> added, Set<String> removed) {
        Set<String> previous = referenced.isEmpty() ? byOwner.remove(owner) : byOwner.put(owner, Set.copyOf(referenced));
        if (previous == null) previous = Set.of();
        for (String name : referenced) {
            if (!previous.contains(name) && counts.merge(name, 1, Integer::sum) == 1) {
                if (!removed.remove(name)) added.add(name);
            }
        }
        for (String name : previous) {
            if (!referenced.contains(name) && counts.merge(name, -1, Integer::sum) == 0) {
                counts.remove(name);
                if (!added.remove(name)) removed.add(name);
            }
        }
    }

    Set<String> names() {
        return counts.keySet();
    }
}
