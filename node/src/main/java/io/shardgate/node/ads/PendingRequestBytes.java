package io.shardgate.node.ads;

import io.netty.handler.codec.http2.Http2Error;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the bytes of request messages that have begun to arrive and not yet ended, over every stream of the node.
 * Vert.x's gRPC server keeps a partial message until its last byte, and returns HTTP/2 flow-control credit as the
 * bytes arrive, so without this each stream could make the node hold up to a whole request (8 MiB by default) by
 * sending one slowly and never finishing it. A stream whose partial message would take the node past the budget is
 * reset with ENHANCE_YOUR_CALM (a gRPC client reports RESOURCE_EXHAUSTED) and its bytes are let go.
 *
 * <p>{@link #meter} wraps each HTTP request before the gRPC server reads it and follows the gRPC framing (a flag
 * byte, a 4-byte length, the message) in the chunks it passes on; a message longer than the request limit is not
 * counted: the gRPC server skips it without keeping it.
 */
final class PendingRequestBytes {
    private final long budget;
    private final long maxMessageBytes;
    private final AtomicLong pending = new AtomicLong();

    PendingRequestBytes(long budget, long maxMessageBytes) {
        this.budget = budget;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Bytes of unfinished request messages held on the node now. */
    long pending() {
        return pending.get();
    }

    HttpServerRequest meter(HttpServerRequest request) {
        return request instanceof HttpServerRequestInternal internal ? new Metered(internal) : request;
    }

    /** One stream's request, followed frame by frame; confined to the stream's event loop. */
    private final class Metered extends HttpServerRequestWrapper {
        private final byte[] header = new byte[5];
        private int headerRead;
        private long bodyLeft;
        private boolean counted;
        /** Bytes of the current unfinished message counted against the budget. */
        private long held;
        private boolean reset;

        Metered(HttpServerRequestInternal delegate) {
            super(delegate);
        }

        @Override
        public HttpServerRequest handler(Handler<Buffer> handler) {
            return super.handler(handler == null ? null : chunk -> {
                if (reset) return;
                if (!follow(chunk)) {
                    reset = true;
                    release();
                    delegate.response().reset(Http2Error.ENHANCE_YOUR_CALM.code());
                    return;
                }
                handler.handle(chunk);
            });
        }

        @Override
        public HttpServerRequest endHandler(Handler<Void> handler) {
            return super.endHandler(v -> {
                release();
                if (handler != null) handler.handle(v);
            });
        }

        @Override
        public HttpServerRequest exceptionHandler(Handler<Throwable> handler) {
            return super.exceptionHandler(e -> {
                release();
                if (handler != null) handler.handle(e);
            });
        }

        /** Follows the framing through {@code chunk}; false if the node's budget is exceeded. */
        private boolean follow(Buffer chunk) {
            int at = 0;
            int length = chunk.length();
            while (at < length) {
                if (headerRead < header.length) {
                    header[headerRead++] = chunk.getByte(at++);
                    if (headerRead < header.length) continue;
                    bodyLeft = ((header[1] & 0xffL) << 24) | ((header[2] & 0xffL) << 16) | ((header[3] & 0xffL) << 8)
                            | (header[4] & 0xffL);
                    counted = bodyLeft <= maxMessageBytes;
                    if (counted && !take(header.length)) return false;
                } else {
                    long n = Math.min(bodyLeft, length - at);
                    at += (int) n;
                    bodyLeft -= n;
                    if (counted && !take(n)) return false;
                }
                if (headerRead == header.length && bodyLeft == 0) {
                    release(); // the message is complete: the gRPC server decodes it now and lets its bytes go
                    headerRead = 0;
                }
            }
            return true;
        }

        private boolean take(long bytes) {
            held += bytes;
            return pending.addAndGet(bytes) <= budget;
        }

        private void release() {
            if (held == 0) return;
            pending.addAndGet(-held);
            held = 0;
        }
    }
}
