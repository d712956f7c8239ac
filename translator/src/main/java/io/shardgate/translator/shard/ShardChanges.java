package io.shardgate.translator.shard;

import io.shardgate.translator.resource.ResourceKey;
import io.shardgate.translator.resource.XdsResource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a shard's served content became since the last time it was taken: per resource, its last state only.
 * A name put and then removed within one batch is removed; removed and then put again, it is put. Applying
 * the puts and the removals in any order gives the same content.
 */
public final class ShardChanges {
    /** Last state per resource: the resource, or null when removed. */
    private final Map<ResourceKey, XdsResource> last;

    /** @param last handed over: nothing else may keep or change it */
    private ShardChanges(Map<ResourceKey, XdsResource> last) {
        this.last = Collections.unmodifiableMap(last);
    }

    public boolean isEmpty() {
        return last.isEmpty();
    }

    public List<XdsResource> puts() {
        List<XdsResource> puts = new ArrayList<>();
        last.values().forEach(r -> {
            if (r != null) puts.add(r);
        });
        return puts;
    }

    public List<ResourceKey> removals() {
        List<ResourceKey> removals = new ArrayList<>();
        last.forEach((key, r) -> {
            if (r == null) removals.add(key);
        });
        return removals;
    }

    /** Accumulates changes; a later change to the same resource replaces an earlier one. */
    static final class Builder {
        private Map<ResourceKey, XdsResource> last = new LinkedHashMap<>();

        void put(XdsResource resource) {
            last.put(ResourceKey.of(resource), resource);
        }

        void remove(ResourceKey key) {
            last.put(key, null);
        }

        ShardChanges take() {
            // Handed over, not copied and cleared: a map that once held a whole shard (a cold start) keeps its table,
            // and clearing it would cost that table's size on every later change.
            ShardChanges changes = new ShardChanges(last);
            last = new LinkedHashMap<>();
            return changes;
        }
    }
}
