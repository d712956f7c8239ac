package io.shardgate.node.logging;

import org.slf4j.event.Level;

/**
 * Errors a dependency logs that are known to be harmless, with the reason (docs/decisions.md, "Known noise
 * from dependencies"). They are written at DEBUG instead, so an ERROR line always means something to look at.
 */
final class UpstreamNoise {

    private UpstreamNoise() {}

    /**
     * Vert.x 5.0.7 queues an HTTP/2 response's trailers with a null promise when flow control holds the stream
     * (Http2ServerResponse.write); if the connection closes first, disposing that last queued write calls
     * {@code promise.fail} on null (VertxHttp2Stream's MessageWrite.cancel). Netty catches it per listener and
     * logs "Caught Throwable from listener onStreamClosed": the stream's close handler was already scheduled and
     * every earlier write released, so nothing is lost.
     */
    static boolean isHarmless(String logger, Level level, Throwable error) {
        if (level != Level.ERROR || !(error instanceof NullPointerException)) return false;
        if (!logger.equals("io.netty.handler.codec.http2.DefaultHttp2Connection")) return false;
        StackTraceElement[] frames = error.getStackTrace();
        return frames.length > 0 && frames[0].getClassName().startsWith("io.vertx.core.http.impl.VertxHttp2Stream$")
                && frames[0].getMethodName().equals("cancel");
    }
}
