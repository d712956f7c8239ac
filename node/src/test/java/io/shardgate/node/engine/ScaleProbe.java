package io.shardgate.node.engine;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shardgate.node.report.StatusWriter;
import io.shardgate.node.store.ShardDirectory;
import io.shardgate.sharding.ShardId;
import io.shardgate.translator.Translator;
import io.shardgate.translator.TranslatorConfig;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.resource.ResourceType;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A quick in-process measurement of the engine (not a benchmark harness: that is bench/): cold start of N
 * domains to fully flushed, heap after GC, and the time of one domain change (median of 51) at N domains.
 * With {@code -Dprobe.shards=S -Dprobe.nodes=K} the gateway has S shards and the engine owns only the
 * shards a node of a K-node cluster would (every K-th), to show one node's share of the work and heap.
 *
 * <pre>mvn -B -q -pl node test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.shardgate.node.engine.ScaleProbe -Dexec.args="1000 100000"</pre>
 */
public final class ScaleProbe {
    private static final String GW = "public";
    private static final int NAMESPACES = 100;
    private static final int SHARDS = Integer.getInteger("probe.shards", 1);
    private static final int NODES = Integer.getInteger("probe.nodes", 1);

    public static void main(String[] args) throws Exception {
        for (String arg : args.length == 0 ? new String[] {"1000", "100000"} : args) {
            probe(Integer.parseInt(arg));
        }
        System.exit(0);
    }

    private static void probe(int domains) throws Exception {
        ShardDirectory directory = new ShardDirectory();
        StatusWriter noStatus = StatusWriter.NONE;
        System.gc();
        long heapBefore = usedHeap();
        try (TranslationEngine engine = new TranslationEngine(Translator.create(TranslatorConfig.defaults()), directory,
                shard -> shard.shard() % NODES == 0, SHARDS, (subject, problems) -> {}, noStatus, new SimpleMeterRegistry())) {
            // Inputs are built before the clock starts: the figure is the engine's work, not the test's.
            List<io.shardgate.translator.input.InputObject> inputs = new java.util.ArrayList<>();
            inputs.add(Inputs.gateway(GW, null));
            for (int ns = 0; ns < NAMESPACES; ns++) {
                String namespace = "tenant-" + ns;
                inputs.add(Inputs.service(namespace, "web", 80));
                inputs.add(Inputs.slice(namespace, "web", 8080, "10.1." + ns + ".1", "10.1." + ns + ".2"));
                inputs.add(Inputs.secret(namespace, "wildcard",
                        TestCertificates.selfSigned(List.of("*." + namespace + ".example.com"))));
            }
            for (int i = 0; i < domains; i++) inputs.add(ingressFor(i, "/"));
            long start = System.nanoTime();
            inputs.forEach(engine::upsert);
            engine.synced();
            engine.whenApplied(engine.received()).get(10, TimeUnit.MINUTES);
            long coldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.gc();
            long heapMb = (usedHeap() - heapBefore) >> 20;
            var store = directory.store(new ShardId(GW, 0));
            int owned = engine.ownedShards().values().stream().mapToInt(Integer::intValue).sum();

            long[] changeMicros = new long[51];
            List<Integer> ownedDomains = java.util.stream.IntStream.range(0, domains).filter(i -> io.shardgate.sharding
                    .DomainSharding.shardOf(host(i), SHARDS) % NODES == 0).limit(changeMicros.length).boxed().toList();
            for (int round = 0; round < changeMicros.length; round++) {
                long t0 = System.nanoTime();
                engine.upsert(ingressFor(ownedDomains.get(round % ownedDomains.size()), "/v" + round));
                engine.whenApplied(engine.received()).get(1, TimeUnit.MINUTES);
                changeMicros[round] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0);
            }
            Arrays.sort(changeMicros);
            System.out.printf("domains=%d shards=%d nodes=%d owned_domains=%d cold_start_ms=%d heap_after_gc_mb=%d "
                            + "change_p50_us=%d change_max_us=%d https_listener_bytes=%d http_routes_bytes=%d%n",
                    domains, SHARDS, NODES, owned, coldMillis, heapMb, changeMicros[changeMicros.length / 2], changeMicros[changeMicros.length - 1],
                    store.get(ResourceType.LISTENER, "https").body().size(), store.get(ResourceType.ROUTE, "http").body().size());
        }
    }

    /** Every tenth domain has TLS (the namespace's wildcard certificate). */
    private static io.shardgate.translator.input.IngressInput ingressFor(int i, String path) {
        String namespace = "tenant-" + (i % NAMESPACES);
        String host = host(i);
        Inputs.IngressBuilder b = Inputs.ingress(namespace, "site-" + i).rule(host, path, "web", 80);
        if (i % 10 == 0) b.tls(host, "wildcard");
        return b.build();
    }

    private static String host(int i) {
        return "d" + i + ".tenant-" + (i % NAMESPACES) + ".example.com";
    }

    private static long usedHeap() {
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed();
    }
}
