package io.shardgate.translator.ingress;

import io.shardgate.translator.InputLimits;
import io.shardgate.translator.input.IngressInput;
import io.shardgate.translator.kube.Hosts;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Which hosts an Ingress claims, and which its TLS entries cover. */
public final class IngressHosts {

    private IngressHosts() {}

    /**
     * The hosts an Ingress claims, normalised and sorted: its rules' hosts, its TLS hosts, and the catch-all
     * when it has a defaultBackend but no rules; at most {@link InputLimits#MAX_HOSTS_PER_CLAIM}, the first
     * in sorted order.
     */
    public static List<String> claimedBy(IngressInput ingress) {
        SortedSet<String> hosts = distinctHosts(ingress);
        return hosts.stream().limit(InputLimits.MAX_HOSTS_PER_CLAIM).toList();
    }

    /** Every distinct host the Ingress names, normalised and sorted, before the limit. */
    static SortedSet<String> distinctHosts(IngressInput ingress) {
        SortedSet<String> hosts = new TreeSet<>();
        for (IngressInput.Rule rule : ingress.rules()) hosts.add(Hosts.normalise(rule.host()));
        for (IngressInput.Tls tls : ingress.tls()) {
            for (String host : tls.hosts()) hosts.add(Hosts.normalise(host));
        }
        if (ingress.rules().isEmpty() && ingress.defaultBackend() != null) hosts.add(Hosts.CATCH_ALL);
        return hosts;
    }

    /** Whether a TLS entry covers the host: listed, or an entry without hosts (every host of the Ingress). */
    public static boolean tlsCovers(IngressInput.Tls tls, String host) {
        if (Hosts.CATCH_ALL.equals(host)) return false;
        if (tls.hosts().isEmpty()) return true;
        for (String h : tls.hosts()) {
            if (Hosts.normalise(h).equals(host)) return true;
        }
        return false;
    }
}
