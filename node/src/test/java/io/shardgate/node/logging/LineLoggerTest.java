package io.shardgate.node.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

class LineLoggerTest {
    private static final Instant T = Instant.parse("2026-12-03T10:00:00.123Z");

    @AfterEach
    void defaults() {
        LogSettings.configure(Level.INFO, LogSettings.Format.TEXT);
    }

    @Test
    void aTextLineHasATimestampAndCannotBeSplitByWhatAClientSent() {
        String line = LineLogger.line(LogSettings.Format.TEXT, T, Level.WARN, "vert.x-eventloop-thread-1", "io.shardgate.node.ads.AdsStream",
                "node id envoy-1\n2026-12-03T10:00:00Z INFO forged", null);
        assertThat(line).isEqualTo("2026-12-03T10:00:00.123Z WARN  [vert.x-eventloop-thread-1] AdsStream - node id envoy-1\\n"
                + "2026-12-03T10:00:00Z INFO forged" + System.lineSeparator());
        assertThat(line.strip().lines()).hasSize(1);
    }

    @Test
    void aJsonLineIsOneParsableObjectWithTheStackTraceInside() throws Exception {
        String line = LineLogger.line(LogSettings.Format.JSON, T, Level.ERROR, "main", "io.shardgate.node.Node",
                "quote \" backslash \\ tab\t", new IllegalStateException("boom"));
        assertThat(line.strip().lines()).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("time").asText()).isEqualTo("2026-12-03T10:00:00.123Z");
        assertThat(json.get("level").asText()).isEqualTo("ERROR");
        assertThat(json.get("logger").asText()).isEqualTo("io.shardgate.node.Node");
        assertThat(json.get("message").asText()).isEqualTo("quote \" backslash \\ tab\t");
        assertThat(json.get("error").asText()).startsWith("java.lang.IllegalStateException: boom").contains("\tat ");
    }

    @Test
    void theLevelAppliesAndHazelcastSpeaksOnlyFromWarnUnlessDebugging() {
        LogSettings.configure(Level.INFO, LogSettings.Format.TEXT);
        assertThat(LoggerFactory.getLogger("io.shardgate.node.Node").isInfoEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("io.shardgate.node.Node").isDebugEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("com.hazelcast.system.logo").isInfoEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("com.hazelcast.internal.cluster.ClusterService").isWarnEnabled()).isTrue();

        LogSettings.configure(Level.DEBUG, LogSettings.Format.TEXT);
        assertThat(LoggerFactory.getLogger("com.hazelcast.system.logo").isInfoEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("io.shardgate.node.Node").isDebugEnabled()).isTrue();

        LogSettings.configure(Level.ERROR, LogSettings.Format.TEXT);
        assertThat(LoggerFactory.getLogger("io.shardgate.node.Node").isWarnEnabled()).isFalse();
    }

    @Test
    void levelsParseByName() {
        assertThat(LogSettings.parseLevel(" Debug ")).isEqualTo(Level.DEBUG);
        assertThat(LogSettings.parseLevel("verbose")).isNull();
    }
}
