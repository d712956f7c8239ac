package io.shardgate.node.ads;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.server.GrpcServerRequest;

/**
 * Writes a stream's response messages as gRPC frames straight onto its HTTP/2 response, so the bytes held back
 * by a client that does not read are views of shared bytes (see {@link ResponseFrame}), not the copy Vert.x's
 * gRPC writer makes of every message. The gRPC layer still writes the headers (first) and the status (last).
 * Falls back to the gRPC writer when the HTTP request is not known ({@link ArrivingRequest}).
 */
final class ResponseWriter {
    private final GrpcServerRequest<?, ?> call;
    private final HttpServerResponse http;
    private boolean headersWritten;

    private ResponseWriter(GrpcServerRequest<?, ?> call, HttpServerResponse http) {
        this.call = call;
        this.http = http;
    }

    /** On the call's handler, while it is dispatched. */
    static ResponseWriter of(GrpcServerRequest<?, ?> call) {
        var request = ArrivingRequest.of(call);
        return new ResponseWriter(call, request == null ? null : request.response());
    }

    /** True when messages go straight to the HTTP/2 stream. */
    boolean isDirect() {
        return http != null;
    }

    /** Writes one message (uncompressed); completes once its bytes are on the wire. */
    Future<Void> write(ByteBuf message) {
        if (http == null) {
            return call.response().writeMessage(GrpcMessage.message("identity", BufferInternal.buffer(message)));
        }
        if (!headersWritten) {
            headersWritten = true;
            call.response().writeHead();
        }
        ByteBuf prefix = Unpooled.buffer(5, 5).writeByte(0).writeInt(message.readableBytes());
        return http.write(BufferInternal.buffer(Unpooled.wrappedBuffer(prefix, message)));
    }
}
