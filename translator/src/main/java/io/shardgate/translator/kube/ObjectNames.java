package io.shardgate.translator.kube;

/**
 * Whether a reference written in an object can name a Kubernetes object at all: a namespace is a DNS-1123 label,
 * a name a DNS-1123 subdomain. Gateway API's reference fields (backendRefs, certificateRefs) only bound their
 * length, so a reference is checked before it is looked up or echoed unquoted in a message.
 */
public final class ObjectNames {
    private static final int MAX_LABEL = 63;
    private static final int MAX_SUBDOMAIN = 253;

    private ObjectNames() {}

    public static boolean isValid(String namespace, String name) {
        return isLabel(namespace) && isSubdomain(name);
    }

    private static boolean isSubdomain(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_SUBDOMAIN) return false;
        for (String label : name.split("\\.", -1)) {
            if (!isLabel(label)) return false;
        }
        return true;
    }

    private static boolean isLabel(String label) {
        if (label == null || label.isEmpty() || label.length() > MAX_LABEL) return false;
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            boolean inner = c == '-' && i > 0 && i < label.length() - 1;
            if (!alphanumeric && !inner) return false;
        }
        return true;
    }
}
