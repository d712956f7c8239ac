package io.shardgate.translator.resource;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * One Envoy resource, serialised once (deterministically) with its 64-bit content hash computed once.
 * The hash is the resource's version on the wire; two nodes translating the same input produce
 * byte-identical bodies and therefore the same versions.
 *
 * <p>Also computed once: the (name, version) {@link #entryHash}, which every stream's set hash adds and
 * subtracts for every resource it sends or its client acknowledges (a class, not a record, so that this
 * derived value is not a component anyone could set inconsistently).
 */
public final class XdsResource {
    private final ResourceType type;
    private final String name;
    private final ByteString body;
    private final long hash;
    private final long entryHash;

    /** @param body the serialised message of {@code type} (not wrapped in Any) */
    public XdsResource(ResourceType type, String name, ByteString body, long hash) {
        this.type = Objects.requireNonNull(type, "type");
        this.name = Objects.requireNonNull(name, "name");
        this.body = Objects.requireNonNull(body, "body");
        this.hash = hash;
        this.entryHash = ContentHash.entry(name, hash);
    }

    public static XdsResource of(ResourceType type, String name, ByteString body) {
        return new XdsResource(type, name, body, ContentHash.of(body));
    }

    public ResourceType type() {
        return type;
    }

    public String name() {
        return name;
    }

    /** The serialised message of {@link #type} (not wrapped in Any). */
    public ByteString body() {
        return body;
    }

    public long hash() {
        return hash;
    }

    /** {@link ContentHash#entry} of this name and hash: one term of a set-of-resources hash. */
    public long entryHash() {
        return entryHash;
    }

    /** The version string clients see: 16 lower-case hex digits of the content hash. */
    public String version() {
        return ContentHash.hex(hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof XdsResource r && hash == r.hash && type == r.type && name.equals(r.name) && body.equals(r.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, name, hash);
    }

    @Override
    public String toString() {
        return type + " " + name + " @" + version() + " (" + body.size() + " bytes)";
    }
}
