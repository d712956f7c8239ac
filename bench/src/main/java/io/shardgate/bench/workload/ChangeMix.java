package io.shardgate.bench.workload;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

/** How often each kind of change occurs, as weights. */
public record ChangeMix(Map<Change.Kind, Integer> weights) {

    /** Domain path updates half the time; creates, deletes, certificate rotations and endpoint changes share the rest. */
    public static ChangeMix platform() {
        Map<Change.Kind, Integer> w = new EnumMap<>(Change.Kind.class);
        w.put(Change.Kind.UPDATE, 50);
        w.put(Change.Kind.CREATE, 15);
        w.put(Change.Kind.DELETE, 10);
        w.put(Change.Kind.ROTATE, 10);
        w.put(Change.Kind.ENDPOINTS, 15);
        return new ChangeMix(w);
    }

    public Change.Kind pick(Random random) {
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        int r = random.nextInt(total);
        for (Map.Entry<Change.Kind, Integer> e : weights.entrySet()) {
            r -= e.getValue();
            if (r < 0) return e.getKey();
        }
        throw new IllegalStateException("unreachable");
    }
}
