package io.shardgate.node.ads;

import java.util.HashSet;
import java.util.Set;

/**
 * Which resources of a NACKed response were rejected. Envoy applies the valid resources of a response and
 * names the failed ones in error_detail, as {@code "<name>: <reason>"} lines (LDS, CDS, and the per-resource
 * errors of the other types). Taking every changed resource as rejected would be wrong the other way: an
 * accepted one would then be held back, or, in a SotW LDS/CDS response, rolled back to the old version.
 */
final class NackAttribution {
    private NackAttribution() {}

    /** The sent names the message names; all of them if it names none (an unattributable error). */
    static Set<String> rejectedNames(Set<String> sent, String message) {
        Set<String> named = new HashSet<>();
        for (String name : sent) {
            if (names(message, name)) named.add(name);
        }
        return named.isEmpty() ? sent : named;
    }

    /** True if {@code name} appears as a whole name followed by a colon (not as part of a longer name). */
    private static boolean names(String message, String name) {
        for (int at = message.indexOf(name); at >= 0; at = message.indexOf(name, at + 1)) {
            int end = at + name.length();
            boolean startsWord = at == 0 || isSeparator(message.charAt(at - 1));
            boolean colonAfter = end < message.length() && message.charAt(end) == ':'
                    && (end + 1 == message.length() || Character.isWhitespace(message.charAt(end + 1)));
            if (startsWord && colonAfter) return true;
        }
        return false;
    }

    private static boolean isSeparator(char c) {
        return Character.isWhitespace(c) || c == ',' || c == '\'' || c == '"' || c == '(' || c == '[';
    }
}
