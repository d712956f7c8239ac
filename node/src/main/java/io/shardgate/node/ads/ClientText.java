package io.shardgate.node.ads;

/**
 * Text a client sent, made safe to echo into a log line, a gRPC status message, a Kubernetes Event or an admin
 * page: cut to a length (before anything else, so a 4 MiB string costs no more than a short one) and with every
 * character that could end or disguise a line (controls, line and paragraph separators, format characters such
 * as bidirectional overrides) written as an escape, so a newline in a node id cannot forge a log line.
 */
public final class ClientText {
    /** The longest node id or gateway name a stream may carry ({@link ClientIdentity} refuses longer ones). */
    public static final int MAX_ID_CHARS = 512;
    /** How much of an Envoy's NACK message (error_detail) is kept, logged and reported. */
    public static final int MAX_ERROR_CHARS = 1024;
    /** How much of any other client string (a type URL, a metadata value) is echoed. */
    public static final int MAX_ECHO_CHARS = 128;

    private ClientText() {}

    /** {@code text} cut to {@code maxChars} (saying how much was left out), with unsafe characters escaped. */
    public static String escape(String text, int maxChars) {
        int kept = Math.min(text.length(), maxChars);
        StringBuilder out = new StringBuilder(kept + 16);
        for (int i = 0; i < kept; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (isUnsafe(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (text.length() > kept) out.append("...(").append(text.length() - kept).append(" more characters)");
        return out.toString();
    }

    /** True if {@code text} has a character {@link #escape} would escape (other than the backslash). */
    public static boolean hasUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isUnsafe(text.charAt(i))) return true;
        }
        return false;
    }

    private static boolean isUnsafe(char c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> true;
            default -> false;
        };
    }
}
