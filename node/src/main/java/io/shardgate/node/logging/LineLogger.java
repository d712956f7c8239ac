package io.shardgate.node.logging;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * One log line per call on standard error: a UTC timestamp, the level, the thread and the logger, then the
 * message, as text or as a JSON object. Control characters in a message are escaped, so no text a client
 * sends (a node id, an error detail) can forge a line; a stack trace follows on its own lines (text) or in
 * the {@code error} field (JSON).
 */
final class LineLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private static final PrintStream OUT = System.err;

    LineLogger(String name) {
        this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
        return LogSettings.enabled(name, Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return LogSettings.enabled(name, Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return LogSettings.enabled(name, Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return LogSettings.enabled(name, Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return LogSettings.enabled(name, Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args, Throwable error) {
        if (UpstreamNoise.isHarmless(name, level, error)) {
            if (!isDebugEnabled()) return;
            level = Level.DEBUG;
        }
        String message = MessageFormatter.basicArrayFormat(pattern, args);
        OUT.print(line(LogSettings.format(), Instant.now(), level, Thread.currentThread().getName(), name, message, error));
    }

    /** One entry as written: a line of text, or a JSON object on one line (stack traces included). */
    static String line(LogSettings.Format format, Instant time, Level level, String thread, String logger, String message,
                       Throwable error) {
        return format == LogSettings.Format.JSON
                ? json(time, level, thread, logger, message, error)
                : text(time, level, thread, logger, message, error);
    }

    private static String text(Instant time, Level level, String thread, String logger, String message, Throwable error) {
        StringBuilder out = new StringBuilder(96 + message.length());
        out.append(time).append(' ').append(String.format("%-5s", level)).append(" [");
        escapeControls(thread, out, false);
        out.append("] ").append(shortName(logger)).append(" - ");
        escapeControls(message, out, false);
        out.append(System.lineSeparator());
        if (error != null) out.append(stackTrace(error));
        return out.toString();
    }

    private static String json(Instant time, Level level, String thread, String logger, String message, Throwable error) {
        StringBuilder out = new StringBuilder(128 + message.length()).append("{\"time\":\"").append(time)
                .append("\",\"level\":\"").append(level).append("\",\"thread\":\"");
        escapeControls(thread, out, true);
        out.append("\",\"logger\":\"");
        escapeControls(logger, out, true);
        out.append("\",\"message\":\"");
        escapeControls(message, out, true);
        out.append('"');
        if (error != null) {
            out.append(",\"error\":\"");
            escapeControls(stackTrace(error), out, true);
            out.append('"');
        }
        return out.append('}').append(System.lineSeparator()).toString();
    }

    /** The class name without its package, as the line has little room. */
    private static String shortName(String logger) {
        int dot = logger.lastIndexOf('.');
        return dot < 0 ? logger : logger.substring(dot + 1);
    }

    private static String stackTrace(Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    /** Appends the text with control characters (and, for JSON, quotes and backslashes) escaped. */
    static void escapeControls(String text, StringBuilder out, boolean json) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (json && (c == '"' || c == '\\')) {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t' && json) {
                out.append("\\t");
            } else if (c < 0x20 && c != '\t' || c == 0x7f || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
    }
}
