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
 * The manifests the nodes watch: {@code gateway.yaml} with the IngressClass {@code gateway} of {@code shards} shards
 * and the Service the Ingresses use, and one file per domain with its Ingress, written atomically (a hidden
 * temporary file renamed into place), as a cluster's objects change one by one. Adding a domain costs the nodes
 * one small file to read, whatever the count, so the harness can hold 20,000 domains. Domains are only added,
 * never removed; each one's creation moment (just before its rename) goes to the {@link InvariantChecker}.
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

    /** Adds {@code n} sequentially named domains (site-N.chaos.example), a file each. */
    public synchronized List<Domain> addDomains(int n) throws IOException {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < n; i++) hosts.add("site-" + counter++ + ".chaos.example");
        return add(hosts);
    }

    /** Adds one new domain in every shard (a probe that every shard's clients must receive). */
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
        List<Domain> added = new ArrayList<>();
        for (String h : hosts) {
            // Registered with the checker before the rename: a node may serve it within microseconds of it.
            Domain d = new Domain(h, DomainSharding.shardOf(h, shards), System.nanoTime());
            checker.created(d);
            writeAtomically(dir, "ingress-" + domains.size() + ".yaml", ingress("ing-" + domains.size(), "chaos", gateway, d.host(), ""));
            added.add(d);
            domains.add(d);
        }
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

    /** Writes the IngressClass and Service (no domain yet). */
    public synchronized void writeInitial() throws IOException {
        writeAtomically(dir, "gateway.yaml", gatewayAndService(gateway, shards, "chaos"));
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

    /** A manifest of one Ingress routing {@code host} to Service {@code web}, with {@code tls} (a spec line, or empty). */
    public static String ingress(String name, String namespace, String gateway, String host, String tls) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: %s, namespace: %s}
                spec:
                  ingressClassName: %s
                  %s
                  rules:
                  - host: %s
                    http:
                      paths:
                      - {path: "/", pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
                """.formatted(name, namespace, gateway, tls, host);
    }

    /** Writes a manifest through a hidden temporary file and a rename, so a node never reads half of it. */
    public static void writeAtomically(Path dir, String name, CharSequence yaml) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
