package io.shardgate.chaos;

import io.shardgate.sharding.DomainSharding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The manifests the nodes watch: one IngressClass {@code gateway} with {@code shards} shards, one Service and
 * one Ingress per domain, rewritten atomically to one file whenever a domain is added. Domains are only added,
 * never removed; each one's creation moment (just after the rename) goes to the {@link InvariantChecker}.
 */
public final class DomainWriter {
    /** A created domain. */
    public record Domain(String host, int shard, long createdNanos) {}

    private final Path dir;
    private final String gateway;
    private final int shards;
    private final InvariantChecker checker;
    private final List<Domain> domains = new ArrayList<>();
    private int counter;
    private int probes;

    public DomainWriter(Path dir, String gateway, int shards, InvariantChecker checker) throws IOException {
        this.dir = dir;
        this.gateway = gateway;
        this.shards = shards;
        this.checker = checker;
        Files.createDirectories(dir);
    }

    public int shards() {
        return shards;
    }

    public String gateway() {
        return gateway;
    }

    /** Adds {@code n} sequentially named domains (site-N.chaos.example) in one rewrite. */
    public synchronized List<Domain> addDomains(int n) throws IOException {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < n; i++) hosts.add("site-" + counter++ + ".chaos.example");
        return add(hosts);
    }

    /** Adds one new domain in every shard in one rewrite (a probe that every shard's clients must receive). */
    public synchronized List<Domain> addProbePerShard() throws IOException {
        List<String> hosts = new ArrayList<>();
        int round = probes++;
        for (int s = 0; s < shards; s++) {
            for (int j = 0; ; j++) {
                String h = "probe-" + round + "-" + j + ".chaos.example";
                if (DomainSharding.shardOf(h, shards) == s) {
                    hosts.add(h);
                    break;
                }
            }
        }
        return add(hosts);
    }

    private List<Domain> add(List<String> hosts) throws IOException {
        // Registered with the checker before the rename: a node may serve it within microseconds of it.
        long now = System.nanoTime();
        List<Domain> added = new ArrayList<>();
        for (String h : hosts) {
            Domain d = new Domain(h, DomainSharding.shardOf(h, shards), now);
            added.add(d);
            checker.created(d);
        }
        List<Domain> all = new ArrayList<>(domains);
        all.addAll(added);
        write(all);
        domains.addAll(added);
        return added;
    }

    /** The hosts of a shard created so far. */
    public synchronized Set<String> hostsOfShard(int shard) {
        Set<String> out = new TreeSet<>();
        for (Domain d : domains) if (d.shard() == shard) out.add(d.host());
        return out;
    }

    public synchronized int size() {
        return domains.size();
    }

    /** Writes the IngressClass and Service only (no domain yet). */
    public synchronized void writeInitial() throws IOException {
        write(domains);
    }

    /** The IngressClass {@code gateway} with {@code shards} shards and the Service {@code web} the Ingresses use. */
    public static String gatewayAndService(String gateway, int shards, String namespace) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: IngressClass
                metadata:
                  name: %s
                  annotations: {shardgate.io/shards: "%d"}
                spec: {controller: shardgate.io/controller}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: %s}
                spec: {ports: [{name: http, port: 80}]}
                """.formatted(gateway, shards, namespace);
    }

    private void write(List<Domain> all) throws IOException {
        StringBuilder yaml = new StringBuilder(gatewayAndService(gateway, shards, "chaos"));
        int i = 0;
        for (Domain d : all) {
            yaml.append("""
                    ---
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    metadata: {name: ing-%d, namespace: chaos}
                    spec:
                      ingressClassName: %s
                      rules:
                      - host: %s
                        http:
                          paths:
                          - {path: "/", pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
                    """.formatted(i++, gateway, d.host()));
        }
        Path tmp = dir.resolve(".chaos.yaml.tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, dir.resolve("chaos.yaml"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
