package io.shardgate.xdsclient;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;

/**
 * A resource as the client holds it.
 *
 * @param version the resource's version (Delta) or the version_info of the response that brought it (SotW)
 * @param body the serialised resource message (the Any's value)
 * @param arrivalNanos {@link System#nanoTime()} when the response carrying this version arrived
 */
public record ReceivedResource(XdsType type, String name, String version, ByteString body, long arrivalNanos) {

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
