package io.shardgate.node.differential;

import io.shardgate.node.store.ShardStore;
import io.shardgate.translator.resource.ResourceKey;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** Everything a shard store serves, by type and name: names, bytes and versions, comparable as a value. */
record ServedContent(SortedMap<ResourceKey, XdsResource> resources) {

    static ServedContent of(ShardStore store) {
        SortedMap<ResourceKey, XdsResource> resources = new TreeMap<>();
        for (ResourceType type : ResourceType.values()) store.all(type).forEach(r -> resources.put(ResourceKey.of(r), r));
        return new ServedContent(resources);
    }

    /** What differs, one line per resource, for a failure message. */
    List<String> diff(ServedContent expected) {
        List<String> lines = new ArrayList<>();
        TreeSet<ResourceKey> keys = new TreeSet<>(resources.keySet());
        keys.addAll(expected.resources.keySet());
        for (ResourceKey key : keys) {
            XdsResource actual = resources.get(key);
            XdsResource wanted = expected.resources.get(key);
            if (actual == null) lines.add("missing " + key + " (from scratch: " + wanted.version() + ")");
            else if (wanted == null) lines.add("extra " + key + " @" + actual.version());
            else if (!actual.equals(wanted)) lines.add("differs " + key + ": @" + actual.version() + ", from scratch @" + wanted.version());
        }
        return lines;
    }
}
