package io.shardgate.translator.envoy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Deterministic protobuf bytes. Plain {@code toByteString()} (and so {@code Any.pack}) may order map
 * entries differently from run to run; content-hash versions need the same bytes on every node.
 */
final class Wire {
    private static final String TYPE_URL_PREFIX = "type.googleapis.com/";

    private Wire() {}

    static ByteString bytes(Message message) {
        byte[] out = new byte[message.getSerializedSize()];
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        cos.useDeterministicSerialization();
        try {
            message.writeTo(cos);
            cos.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return UnsafeByteOperations.unsafeWrap(out); // out is never written again
    }

    /** The type URL an Any of this type carries ({@link Packer} makes every Any). */
    static String typeUrl(Descriptor type) {
        return TYPE_URL_PREFIX + type.getFullName();
    }
}
