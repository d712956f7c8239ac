package io.shardgate.node.certgen;

import io.shardgate.node.config.ConfigException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The flags of {@code shardgate-node.jar certgen}; wrong ones fail with a message that says what to fix. */
public record CertGenOptions(String namespace, List<String> gateways, String gatewayNamespace, String trustDomain,
        String clusterDomain, String service, String serviceAccount, Duration validity, Duration renewBefore) {

    private static final String NAME = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Map<String, String[]> FLAGS = new LinkedHashMap<>();

    static {
        FLAGS.put("namespace", new String[] {"shardgate", "namespace of the nodes, their Service and the CA and node Secrets (env POD_NAMESPACE when set)"});
        FLAGS.put("gateways", new String[] {"public", "comma-separated gateways (IngressClasses) to issue Envoy client certificates for"});
        FLAGS.put("gateway-namespace", new String[] {"", "namespace of the gateways' Envoys and their Secrets (default: --namespace)"});
        FLAGS.put("trust-domain", new String[] {"cluster.local", "SPIFFE trust domain of the identities (the node's --trust-domain)"});
        FLAGS.put("cluster-domain", new String[] {"cluster.local", "DNS suffix of Services in the nodes' certificate"});
        FLAGS.put("service", new String[] {"shardgate", "the nodes' ADS Service, whose DNS names the nodes' certificate carries"});
        FLAGS.put("service-account", new String[] {"shardgate", "the nodes' ServiceAccount, the last part of the node identity"});
        FLAGS.put("validity", new String[] {"90d", "how long issued leaf certificates are valid (h or d, e.g. 2160h or 90d)"});
        FLAGS.put("renew-before", new String[] {"30d", "re-issue a leaf certificate this long before it expires"});
    }

    public static String help() {
        StringBuilder out = new StringBuilder("usage: java -jar shardgate-node.jar certgen [--flag=value ...]\n"
                + "Creates or renews the mTLS Secrets (docs/security.md) in Kubernetes; safe to run again.\n");
        FLAGS.forEach((name, v) -> out.append(String.format("  --%-18s %s%s%n", name, v[1],
                v[0].isEmpty() ? "" : " (default '" + v[0] + "')")));
        return out.toString();
    }

    public static CertGenOptions parse(String[] args, Map<String, String> env) {
        Map<String, String> v = new LinkedHashMap<>();
        FLAGS.forEach((name, d) -> v.put(name, d[0]));
        if (env.get("POD_NAMESPACE") != null) v.put("namespace", env.get("POD_NAMESPACE"));
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : null;
            if (name == null || !FLAGS.containsKey(name)) {
                throw new ConfigException("certgen: unknown argument '" + arg + "'; flags are --name=value, one of "
                        + FLAGS.keySet());
            }
            v.put(name, arg.substring(eq + 1).trim());
        }
        String namespace = name(v, "namespace");
        if (v.get("gateway-namespace").isEmpty()) v.put("gateway-namespace", namespace);
        List<String> gateways = Arrays.stream(v.get("gateways").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (gateways.isEmpty()) throw new ConfigException("certgen: --gateways must name at least one gateway");
        for (String gateway : gateways) {
            if (!gateway.matches(NAME)) throw new ConfigException("certgen: --gateways: '" + gateway + "' is not a valid name");
        }
        String trustDomain = v.get("trust-domain");
        if (!trustDomain.matches("[a-z0-9.-]+")) {
            throw new ConfigException("certgen: --trust-domain must be a trust domain such as cluster.local, was '" + trustDomain + "'");
        }
        String clusterDomain = v.get("cluster-domain");
        if (!clusterDomain.matches("[a-z0-9.-]+")) {
            throw new ConfigException("certgen: --cluster-domain must be a DNS suffix such as cluster.local, was '" + clusterDomain + "'");
        }
        Duration validity = duration(v, "validity");
        Duration renewBefore = duration(v, "renew-before");
        if (renewBefore.compareTo(validity) >= 0) {
            throw new ConfigException("certgen: --renew-before (" + v.get("renew-before") + ") must be shorter than --validity ("
                    + v.get("validity") + "), or every run would re-issue");
        }
        return new CertGenOptions(namespace, gateways, name(v, "gateway-namespace"), trustDomain, clusterDomain,
                name(v, "service"), name(v, "service-account"), validity, renewBefore);
    }

    private static String name(Map<String, String> v, String flag) {
        String value = v.get(flag);
        if (!value.matches(NAME)) throw new ConfigException("certgen: --" + flag + " must be a Kubernetes name, was '" + value + "'");
        return value;
    }

    private static Duration duration(Map<String, String> v, String flag) {
        String raw = v.get(flag).toLowerCase(Locale.ROOT);
        try {
            long amount = Long.parseLong(raw.substring(0, Math.max(0, raw.length() - 1)));
            if (amount > 0 && raw.endsWith("h")) return Duration.ofHours(amount);
            if (amount > 0 && raw.endsWith("d")) return Duration.ofDays(amount);
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("certgen: --" + flag + " must be hours or days such as 720h or 30d, was '" + v.get(flag) + "'");
    }
}
