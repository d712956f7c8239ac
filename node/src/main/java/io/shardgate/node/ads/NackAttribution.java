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

    /**
     * The sent names the message names; all of them if it names none (an unattributable error). One pass over
     * the message whatever the number of names sent: the message is the client's text, up to a request's size.
     */
    static Set<String> rejectedNames(Set<String> sent, String message) {
        Set<String> named = new HashSet<>();
        for (int colon = message.indexOf(':'); colon >= 0; colon = message.indexOf(':', colon + 1)) {
            boolean endsName = colon + 1 == message.length() || Character.isWhitespace(message.charAt(colon + 1));
            if (!endsName) continue;
            int start = colon;
            while (start > 0 && !isSeparator(message.charAt(start - 1))) start--;
            String word = message.substring(start, colon); // a name may hold colons itself: "ns/svc:80"
            if (sent.contains(word)) named.add(word);
        }
        return named.isEmpty() ? sent : named;
    }

    private static boolean isSeparator(char c) {
        return Character.isWhitespace(c) || c == ',' || c == '\'' || c == '"' || c == '(' || c == '[';
    }
}
