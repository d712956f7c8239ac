package io.shardgate.translator.kube;

import io.shardgate.translator.Echo;
import io.shardgate.translator.InputLimits;
import io.shardgate.translator.Problem;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.input.ObjectRef;
import java.util.Locale;
import java.util.regex.Pattern;

/** Host names as Kubernetes objects write them: normalising and validating. */
public final class Hosts {
    /** The domain of rules without host (or routes on a listener without hostname): the plain-HTTP catch-all. */
    public static final String CATCH_ALL = "*";

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final int MAX_LENGTH = 253;

    private Hosts() {}

    /** Lower-cased; null (no host) becomes {@link #CATCH_ALL}. */
    public static String normalise(String host) {
        return host == null ? CATCH_ALL : host.toLowerCase(Locale.ROOT);
    }

    /**
     * An RFC 1123 subdomain as Kubernetes validates it, optionally with "*" as the whole leftmost label,
     * and not an IP address; or the catch-all. Expects a normalised host.
     */
    public static boolean isValid(String host) {
        if (CATCH_ALL.equals(host)) return true;
        String name = host.startsWith("*.") ? host.substring(2) : host;
        if (name.isEmpty() || name.length() > MAX_LENGTH || IPV4.matcher(host).matches()) return false;
        if (host.startsWith("*.") && name.chars().filter(c -> c == '.').count() + 1 > InputLimits.MAX_WILDCARD_SUFFIX_LABELS) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) return false;
        }
        return true;
    }

    /** A single host name: neither the catch-all nor a wildcard. Expects a normalised host. */
    public static boolean isExact(String host) {
        return !CATCH_ALL.equals(host) && !host.startsWith("*.");
    }

    /** The problem of a claim on a host that is not {@link #isValid valid}. */
    public static Problem invalid(ObjectRef source, String host) {
        return new Problem(source, host, Reasons.INVALID_HOST, "host " + Echo.quote(host)
                + " is not a valid DNS name (RFC 1123, not an IP address, * only as the whole leftmost label and"
                + " followed by at most " + InputLimits.MAX_WILDCARD_SUFFIX_LABELS + " labels); not served");
    }
}
