package io.shardgate.node.ads;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.CodecException;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.WireFormat;

/** Binary protobuf only (Envoy never speaks gRPC-JSON), with the Envoy API's own protobuf runtime. */
final class ProtoCodec {
    private ProtoCodec() {}

    static <T extends MessageLite> GrpcMessageEncoder<T> encoder() {
        return new GrpcMessageEncoder<>() {
            @Override
            public GrpcMessage encode(T message, WireFormat format) {
                return GrpcMessage.message("identity", Buffer.buffer(message.toByteArray()));
            }

            @Override
            public boolean accepts(WireFormat format) {
                return format == WireFormat.PROTOBUF;
            }
        };
    }

    static <T> GrpcMessageDecoder<T> decoder(Parser<T> parser) {
        return new GrpcMessageDecoder<>() {
            @Override
            public T decode(GrpcMessage message) throws CodecException {
                try {
                    return parser.parseFrom(message.payload().getBytes());
                } catch (InvalidProtocolBufferException e) {
                    throw new CodecException(e);
                }
            }

            @Override
            public boolean accepts(WireFormat format) {
                return format == WireFormat.PROTOBUF;
            }
        };
    }
}
