package io.shardgate.translator.resource;

import com.google.protobuf.ByteString;

/**
 * A serialised element of a composite resource (a FilterChain of the HTTPS listener, a VirtualHost of
 * the HTTP route configuration), cached so the composite is assembled from bytes, never re-serialised.
 *
 * @param key  the element's sort key inside the composite (the domain)
 * @param body the serialised element message (without field tag or length)
 */
public record Part(String key, ByteString body, long hash) {

    public static Part of(String key, ByteString body) {
        return new Part(key, body, ContentHash.of(body));
    }
}
