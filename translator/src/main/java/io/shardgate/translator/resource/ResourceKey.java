package io.shardgate.translator.resource;

/** A resource's identity within a shard: its type and name. */
public record ResourceKey(ResourceType type, String name) implements Comparable<ResourceKey> {

    public static ResourceKey of(XdsResource resource) {
        return new ResourceKey(resource.type(), resource.name());
    }

    @Override
    public int compareTo(ResourceKey o) {
        int c = type.compareTo(o.type);
        return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return type + " " + name;
    }
}
