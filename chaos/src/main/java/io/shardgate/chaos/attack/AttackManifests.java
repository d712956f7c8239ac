package io.shardgate.chaos.attack;

import io.shardgate.chaos.DomainWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The honest configuration the attacked node serves: gateway {@value #GATEWAY} with one shard, {@code domains} TLS
 * domains {@code site-N.apps.example.com} (the HTTPS listener then has one filter chain per domain) sharing the
 * examples' self-signed wildcard certificate, and a separate file of plain-HTTP probe domains that the
 * well-behaved client watches arrive, one at a time, while the attacks run.
 */
final class AttackManifests {
    static final String GATEWAY = "public";
    static final String NAMESPACE = "shop";
    private static final String SECRET = "shop-tls";

    private final Path dir;
    private final List<String> probes = new ArrayList<>();

    AttackManifests(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    Path dir() {
        return dir;
    }

    static String domain(int i) {
        return "site-" + i + ".apps.example.com";
    }

    /** Writes the IngressClass, the Service, the certificate (from examples/shop-tls.yaml) and the TLS domains. */
    void writeDomains(int domains, Path examples) throws IOException {
        StringBuilder yaml = new StringBuilder(DomainWriter.gatewayAndService(GATEWAY, 1, NAMESPACE)).append("---\n");
        yaml.append(Files.readString(examples.resolve("shop-tls.yaml")));
        for (int i = 0; i < domains; i++) {
            yaml.append(ingress("site-" + i, domain(i), "tls: [{hosts: [" + domain(i) + "], secretName: " + SECRET + "}]"));
        }
        write("attack.yaml", yaml);
    }

    /** Adds one plain-HTTP probe domain (a rewrite of the probe file); returns it. */
    String addProbe() throws IOException {
        String host = "probe-" + probes.size() + ".example.com";
        probes.add(host);
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < probes.size(); i++) yaml.append(ingress("probe-" + i, probes.get(i), ""));
        write("probe.yaml", yaml);
        return host;
    }

    /** One Ingress document for {@code host} to the Service, with {@code tls} (a spec line, or empty for plain HTTP). */
    private static String ingress(String name, String host, String tls) {
        return "---\n" + DomainWriter.ingress(name, NAMESPACE, GATEWAY, host, tls);
    }

    private void write(String name, CharSequence yaml) throws IOException {
        DomainWriter.writeAtomically(dir, name, yaml);
    }
}
