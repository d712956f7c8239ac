package io.shardgate.translator.kube;

/**
 * RFC 3986 absolute paths, checked in one pass without regular expressions: a backtracking regex over a
 * repeated alternation recurses once per character, so a few thousand characters overflow the stack.
 */
public final class PathSyntax {
    private static final String SUB_DELIMS_AND_MORE = "-._~!$&'()*+,;=:@/";

    private PathSyntax() {}

    /** "/" followed by pchars and slashes: unreserved, sub-delims, ":", "@", or %XX. */
    public static boolean isAbsolutePath(String path) {
        return scan(path, false);
    }

    /** As {@link #isAbsolutePath}, also allowing {@code $0}..{@code $9} group references (and no bare "$"). */
    public static boolean isRewriteTarget(String path) {
        return scan(path, true);
    }

    private static boolean scan(String path, boolean groupReferences) {
        if (path.isEmpty() || path.charAt(0) != '/') return false;
        for (int i = 1; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= path.length() || !isHex(path.charAt(i + 1)) || !isHex(path.charAt(i + 2))) return false;
                i += 2;
            } else if (c == '$' && groupReferences) {
                if (i + 1 >= path.length() || !isDigit(path.charAt(i + 1))) return false;
                i += 1;
            } else if (c == '$') {
                continue;
            } else if (!isAlphaNumeric(c) && SUB_DELIMS_AND_MORE.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlphaNumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
