package io.shardgate.node.ads;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.server.GrpcServerRequest;

/**
 * The HTTP/2 request a gRPC call arrives on, for {@link ResponseWriter}, which writes to it directly. Vert.x's
 * gRPC server does not expose it; it dispatches a call to its handler on the thread that hands it the HTTP
 * request, so the listener marks the request for the duration of that hand-over and the call handler takes it.
 */
final class ArrivingRequest {
    private static final ThreadLocal<HttpServerRequest> ARRIVING = new ThreadLocal<>();

    private ArrivingRequest() {}

    /** Runs {@code handOver} (the gRPC server's handling of {@code request}) with the request marked. */
    static void during(HttpServerRequest request, Runnable handOver) {
        ARRIVING.set(request);
        try {
            handOver.run();
        } finally {
            ARRIVING.remove();
        }
    }

    /** The HTTP request {@code call} arrived on, or null if it cannot be told (then nothing is written directly). */
    static HttpServerRequest of(GrpcServerRequest<?, ?> call) {
        HttpServerRequest request = ARRIVING.get();
        if (request == null || request.connection() != call.connection()
                || !request.path().equals("/" + call.fullMethodName())) {
            return null;
        }
        return request;
    }
}
