package io.shardgate.translator.resource;

import com.google.protobuf.ByteString;

/**
 * One Envoy resource, serialised once (deterministically) with its 64-bit content hash computed once.
 * The hash is the resource's version on the wire; two nodes translating the same input produce
 * byte-identical bodies and therefore the same versions.
 *
 * @param body the serialised message of {@code type} (not wrapped in Any)
 */
public record XdsResource(ResourceType type, String name, ByteString body, long hash) {

    public static XdsResource of(ResourceType type, String name, ByteString body) {
        return new XdsResource(type, name, body, ContentHash.of(body));
    }

    /** The version string clients see: 16 lower-case hex digits of the content hash. */
    public String version() {
        return ContentHash.hex(hash);
    }

    @Override
    public String toString() {
        return type + " " + name + " @" + version() + " (" + body.size() + " bytes)";
    }
}
