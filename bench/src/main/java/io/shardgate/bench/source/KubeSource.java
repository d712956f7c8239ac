package io.shardgate.bench.source;

import io.shardgate.node.testing.KubeMock;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.shardgate.bench.workload.Change;
import io.shardgate.node.source.InputSink;
import io.shardgate.node.source.KubernetesSource;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * End to end through the Kubernetes API: the workload is written to fabric8's mock API server (its own JVM) and
 * the node's own {@link KubernetesSource} (informers: list, then watch) delivers it. A change's clock starts when
 * the node's source hands the changed object to the engine ("source event accepted"); the API write before it is
 * reported apart ({@link #lastWriteNanos}).
 */
public final class KubeSource implements ChangeSource {
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    private final KubeMock mock;
    private final KubernetesClient writer;
    private final KubernetesClient nodeClient;
    private final TimestampingSink sink;
    private final KubernetesSource source;
    private long lastWriteNanos;

    public KubeSource(InputSink node, String mockHeap) throws Exception {
        this.mock = KubeMock.start(null, mockHeap);
        this.writer = client();
        this.nodeClient = client();
        this.sink = new TimestampingSink(node);
        this.source = new KubernetesSource(nodeClient);
    }

    private KubernetesClient client() {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(mock.url()).withTrustCerts(true)
                .withNamespace("default").withRequestTimeout(60_000).build()).build();
    }

    @Override
    public String name() {
        return "kube-mock";
    }

    /** Writes everything to the API server (4 writers), then starts the node's informers; the clock starts then. */
    @Override
    public long load(List<InputObject> initial) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(4, r -> new Thread(r, "bench-kube-writer"));
        try {
            int n = initial.size();
            List<Future<?>> parts = new java.util.ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int part = w;
                parts.add(writers.submit(() -> {
                    for (int i = part; i < n; i += 4) writer.resource(KubeObjects.of(initial.get(i))).create();
                }));
            }
            for (Future<?> f : parts) f.get();
        } finally {
            writers.shutdownNow();
        }
        long t0 = System.nanoTime();
        source.start(sink);
        return t0;
    }

    @Override
    public long apply(Change change) throws Exception {
        List<ObjectRef> refs = change.refs();
        sink.forget(refs);
        long write = System.nanoTime();
        for (InputObject o : change.upserts()) {
            HasMetadata object = KubeObjects.of(o);
            writer.resource(object).createOr(NonDeletingOperation::update);
        }
        for (ObjectRef ref : change.deletes()) {
            writer.network().v1().ingresses().inNamespace(ref.namespace()).withName(ref.name()).delete();
        }
        long accepted = sink.await(refs, DELIVERY_TIMEOUT);
        lastWriteNanos = write;
        return accepted;
    }

    /** When the last change was written to the API server. */
    public long lastWriteNanos() {
        return lastWriteNanos;
    }

    @Override
    public void close() {
        source.close();
        nodeClient.close();
        writer.close();
        mock.close();
    }
}
