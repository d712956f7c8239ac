package io.shardgate.bench.target;

import com.google.protobuf.ByteString;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The bytes a target sends for a translated resource, cached per resource name for the current version. Shardgate
 * sends the store's bytes; the baseline re-encodes the message it parsed from them, which protobuf writes in field
 * order (Shardgate's composites are valid encodings in another field order: same size, other bytes).
 */
public final class ServedBytes {
    private record Key(ResourceType type, String name) {}

    private record Entry(XdsResource resource, ByteString bytes) {}

    private final Function<XdsResource, ByteString> encoding;
    private final Map<Key, Entry> cache = new ConcurrentHashMap<>();

    ServedBytes(Function<XdsResource, ByteString> encoding) {
        this.encoding = encoding;
    }

    public static ServedBytes asStored() {
        return new ServedBytes(XdsResource::body);
    }

    public ByteString of(XdsResource resource) {
        Key key = new Key(resource.type(), resource.name());
        Entry e = cache.get(key);
        if (e != null && e.resource() == resource) return e.bytes();
        ByteString bytes = encoding.apply(resource);
        cache.put(key, new Entry(resource, bytes));
        return bytes;
    }
}
