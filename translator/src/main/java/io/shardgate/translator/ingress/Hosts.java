package io.shardgate.translator.ingress;

import io.shardgate.translator.InputLimits;
import io.shardgate.translator.input.IngressInput;
import java.util.Locale;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Host names as Ingresses write them: normalising, validating, and which hosts an Ingress claims. */
public final class Hosts {
    /** The domain of rules without host: the plain-HTTP catch-all. */
    public static final String CATCH_ALL = "*";

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final int MAX_LENGTH = 253;

    private Hosts() {}

    /** Lower-cased; null (a rule without host) becomes {@link #CATCH_ALL}. */
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

    /**
     * The hosts an Ingress claims, normalised and sorted: its rules' hosts, its TLS hosts, and the catch-all
     * when it has a defaultBackend but no rules; at most {@link InputLimits#MAX_HOSTS_PER_INGRESS}, the first
     * in sorted order.
     */
    public static List<String> claimedBy(IngressInput ingress) {
        SortedSet<String> hosts = distinctHosts(ingress);
        return hosts.stream().limit(InputLimits.MAX_HOSTS_PER_INGRESS).toList();
    }

    /** Every distinct host the Ingress names, normalised and sorted, before the limit. */
    static SortedSet<String> distinctHosts(IngressInput ingress) {
        SortedSet<String> hosts = new TreeSet<>();
        for (IngressInput.Rule rule : ingress.rules()) hosts.add(normalise(rule.host()));
        for (IngressInput.Tls tls : ingress.tls()) {
            for (String host : tls.hosts()) hosts.add(normalise(host));
        }
        if (ingress.rules().isEmpty() && ingress.defaultBackend() != null) hosts.add(CATCH_ALL);
        return hosts;
    }

    /** Whether a TLS entry covers the host: listed, or an entry without hosts (every host of the Ingress). */
    public static boolean tlsCovers(IngressInput.Tls tls, String host) {
        if (CATCH_ALL.equals(host)) return false;
        if (tls.hosts().isEmpty()) return true;
        for (String h : tls.hosts()) {
            if (normalise(h).equals(host)) return true;
        }
        return false;
    }
}
