package io.shardgate.translator;

/**
 * Text from an object (a path, an annotation value, a host) quoted in a problem message, which reaches logs,
 * metrics and Kubernetes Events: at most {@value #MAX} characters, control characters escaped.
 */
public final class Echo {
    static final int MAX = 120;

    private Echo() {}

    /** The text in double quotes, shortened with "…(N characters)" when longer than {@value #MAX}. */
    public static String quote(String text) {
        if (text == null) return "null";
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX) + 32).append('"');
        int end = Math.min(text.length(), MAX);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20 || c == 0x7f) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        out.append('"');
        if (text.length() > MAX) out.append("…(").append(text.length()).append(" characters)");
        return out.toString();
    }
}
