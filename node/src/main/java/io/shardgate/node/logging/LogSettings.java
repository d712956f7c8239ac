package io.shardgate.node.logging;

import java.util.Locale;
import org.slf4j.event.Level;

/**
 * How the node logs: the level, the line format, and Hazelcast's own chatter. Set once at start from
 * {@code --log-level} and {@code --log-format}; loggers read it at every call, so loggers made before that
 * (static fields) follow too.
 */
public final class LogSettings {
    /** Hazelcast logs its banner and every member event at INFO: left out unless debugging. */
    private static final String HAZELCAST = "com.hazelcast";

    public enum Format { TEXT, JSON }

    private static volatile Level level = Level.INFO;
    private static volatile Format format = Format.TEXT;

    private LogSettings() {}

    public static void configure(Level level, Format format) {
        LogSettings.level = level;
        LogSettings.format = format;
    }

    public static Format format() {
        return format;
    }

    /** Parses a level name (error, warn, info, debug, trace), or null if it is none. */
    public static Level parseLevel(String text) {
        try {
            return Level.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static boolean enabled(String logger, Level at) {
        Level threshold = level;
        if (logger.startsWith(HAZELCAST) && threshold.toInt() > Level.DEBUG.toInt()) threshold = Level.WARN;
        return at.toInt() >= threshold.toInt();
    }
}
