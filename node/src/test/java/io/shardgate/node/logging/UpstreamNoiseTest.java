package io.shardgate.node.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class UpstreamNoiseTest {
    private static final String NETTY_HTTP2 = "io.netty.handler.codec.http2.DefaultHttp2Connection";

    /** The top frames of what nodes logged in the chaos run (Vert.x 5.0.7). */
    private static NullPointerException vertxTrailerCancel() {
        NullPointerException npe = new NullPointerException(
                "Cannot invoke \"io.vertx.core.Promise.fail(java.lang.Throwable)\" because \"this.val$promise\" is null");
        npe.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("io.vertx.core.http.impl.VertxHttp2Stream$3", "cancel", "VertxHttp2Stream.java", 243),
            new StackTraceElement("io.vertx.core.http.impl.VertxHttp2Stream$2", "handleDispose", "VertxHttp2Stream.java", 100),
            new StackTraceElement("io.vertx.core.http.impl.VertxHttp2Stream", "onClose", "VertxHttp2Stream.java", 120)});
        return npe;
    }

    @Test
    void theTrailerCancelOfAClosedStreamIsKnownNoise() {
        assertThat(UpstreamNoise.isHarmless(NETTY_HTTP2, Level.ERROR, vertxTrailerCancel())).isTrue();
    }

    @Test
    void anythingElseStaysAnError() {
        NullPointerException elsewhere = new NullPointerException("x");
        elsewhere.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("io.shardgate.node.ads.SotwStream", "onClose", "SotwStream.java", 10)});
        assertThat(UpstreamNoise.isHarmless(NETTY_HTTP2, Level.ERROR, elsewhere)).isFalse();
        assertThat(UpstreamNoise.isHarmless(NETTY_HTTP2, Level.ERROR, new IllegalStateException("boom"))).isFalse();
        assertThat(UpstreamNoise.isHarmless(NETTY_HTTP2, Level.ERROR, null)).isFalse();
        assertThat(UpstreamNoise.isHarmless("io.shardgate.node.Node", Level.ERROR, vertxTrailerCancel())).isFalse();
    }
}
