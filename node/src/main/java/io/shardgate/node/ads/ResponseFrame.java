package io.shardgate.node.ads;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import com.google.protobuf.WireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.shardgate.translator.resource.XdsResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * One response's protobuf bytes, assembled without copying a resource body: the response's own small fields are
 * serialised, and each resource is a few header bytes followed by views of its cached body. A client that reads
 * slowly therefore holds the bodies every stream shares, not a copy of its own; Vert.x's gRPC writer would copy
 * the whole message into a new buffer, so {@link ResponseWriter} writes these bytes itself.
 *
 * <p>A protobuf message is the concatenation of its fields in any order, and a repeated message field is one
 * length-delimited field per element: the envelope (every field but the resources) followed by one
 * {@code resources} field per resource parses as the same message.
 */
final class ResponseFrame {
    /** The {@code resources} field of DiscoveryResponse and of DeltaDiscoveryResponse. */
    private static final int RESOURCES_FIELD = 2;
    /** google.protobuf.Any. */
    private static final int ANY_TYPE_URL = 1;
    private static final int ANY_VALUE = 2;
    /** envoy.service.discovery.v3.Resource. */
    private static final int RESOURCE_VERSION = 1;
    private static final int RESOURCE_RESOURCE = 2;
    private static final int RESOURCE_NAME = 3;

    private final CompositeByteBuf bytes = Unpooled.compositeBuffer(Integer.MAX_VALUE);

    /** @param envelope the response without its resources */
    ResponseFrame(MessageLite envelope) {
        append(envelope.toByteArray());
    }

    /** SotW: the resource as an Any. */
    ResponseFrame addAny(XdsResource resource) {
        String typeUrl = resource.type().typeUrl();
        int bodySize = resource.body().size();
        int anySize = anySize(typeUrl, bodySize);
        return addField(anySize, resource.body(), out -> writeAnyHeader(out, typeUrl, bodySize));
    }

    /** Delta: the resource as a Resource with its name and version. */
    ResponseFrame addResource(XdsResource resource) {
        String typeUrl = resource.type().typeUrl();
        int bodySize = resource.body().size();
        int anySize = anySize(typeUrl, bodySize);
        int resourceSize = CodedOutputStream.computeStringSize(RESOURCE_NAME, resource.name())
                + CodedOutputStream.computeStringSize(RESOURCE_VERSION, resource.version())
                + CodedOutputStream.computeTagSize(RESOURCE_RESOURCE) + CodedOutputStream.computeUInt32SizeNoTag(anySize)
                + anySize;
        return addField(resourceSize, resource.body(), out -> {
            out.writeString(RESOURCE_NAME, resource.name());
            out.writeString(RESOURCE_VERSION, resource.version());
            out.writeTag(RESOURCE_RESOURCE, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(anySize);
            writeAnyHeader(out, typeUrl, bodySize);
        });
    }

    /** Writes the fields of a resources element that come before its body. */
    private interface ElementHeader {
        void write(CodedOutputStream out) throws IOException;
    }

    /** One {@code resources} element of {@code elementSize} bytes: its tag, length and header, then {@code body}. */
    private ResponseFrame addField(int elementSize, ByteString body, ElementHeader header) {
        byte[] bytes = new byte[CodedOutputStream.computeTagSize(RESOURCES_FIELD)
                + CodedOutputStream.computeUInt32SizeNoTag(elementSize) + elementSize - body.size()];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeTag(RESOURCES_FIELD, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(elementSize);
            header.write(out);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        append(bytes);
        append(body);
        return this;
    }

    /** The message's size in bytes. */
    int size() {
        return bytes.readableBytes();
    }

    /** The message's bytes; they share the resources' bodies. */
    ByteBuf bytes() {
        return bytes;
    }

    private static int anySize(String typeUrl, int bodySize) {
        return CodedOutputStream.computeStringSize(ANY_TYPE_URL, typeUrl) + CodedOutputStream.computeTagSize(ANY_VALUE)
                + CodedOutputStream.computeUInt32SizeNoTag(bodySize) + bodySize;
    }

    /** The Any's type URL and its value's tag and length: everything of it but the value's bytes. */
    private static void writeAnyHeader(CodedOutputStream out, String typeUrl, int bodySize) throws IOException {
        out.writeString(ANY_TYPE_URL, typeUrl);
        out.writeTag(ANY_VALUE, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(bodySize);
    }

    private void append(byte[] array) {
        bytes.addComponent(true, Unpooled.wrappedBuffer(array));
    }

    private void append(ByteString body) {
        for (ByteBuffer piece : body.asReadOnlyByteBufferList()) {
            if (piece.hasRemaining()) bytes.addComponent(true, Unpooled.wrappedBuffer(piece));
        }
    }
}
