package io.shardgate.translator.input;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A Kubernetes label selector (metav1.LabelSelector), as a listener's allowedRoutes.namespaces.selector writes it: every
 * matchLabels pair and every matchExpressions requirement must hold. An empty selector selects everything, as in
 * Kubernetes; a requirement with an operator Kubernetes does not define selects nothing (the API server's validation
 * refuses it, so only a file can hold one).
 */
public record LabelSelector(SortedMap<String, String> matchLabels, List<Requirement> matchExpressions) {

    public LabelSelector {
        matchLabels = new TreeMap<>(matchLabels);
        matchExpressions = List.copyOf(matchExpressions);
    }

    /** @param operator In, NotIn, Exists or DoesNotExist, as written */
    public record Requirement(String key, String operator, List<String> values) {
        public Requirement {
            values = List.copyOf(values);
        }

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
        }
    }

    public boolean matches(Map<String, String> labels) {
        for (Map.Entry<String, String> pair : matchLabels.entrySet()) {
            if (!pair.getValue().equals(labels.get(pair.getKey()))) return false;
        }
        return matchExpressions.stream().allMatch(r -> r.matches(labels));
    }
}
