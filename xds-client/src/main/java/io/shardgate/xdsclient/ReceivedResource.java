package io.shardgate.xdsclient;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;

/**
 * A resource as the client holds it.
 *
 * @param version the resource's version (Delta) or the version_info of the response that brought it (SotW)
 * @param body the serialised resource message (the Any's value)
 * @param arrivalNanos {@link System#nanoTime()} when the response carrying this version arrived
 * @param nonce the nonce of that response (a Shardgate node puts its send time in it: {@link #sentMillis()})
 */
public record ReceivedResource(XdsType type, String name, String version, ByteString body, long arrivalNanos,
                               String nonce) {

    /**
     * When the server sent the response, epoch milliseconds, from a Shardgate nonce {@code <counter>.<epoch ms>};
     * -1 for a nonce of another form (another control plane).
     */
    public long sentMillis() {
        int dot = nonce == null ? -1 : nonce.lastIndexOf('.');
        if (dot < 0) return -1;
        try {
            return Long.parseLong(nonce.substring(dot + 1));
        } catch (NumberFormatException otherForm) {
            return -1;
        }
    }

    /** The decoded message (parsed on each call). */
    @SuppressWarnings("unchecked")
    public <T extends Message> T message() {
        return (T) type.parse(body);
    }

    @Override
    public String toString() {
        return type + " " + name + " @" + version + " (" + body.size() + " bytes)";
    }
}
