package io.shardgate.node.differential;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.shardgate.node.source.InputSink;
import io.shardgate.node.source.Source;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real source (file or Kubernetes) that the differential test writes each step's objects to, with a
 * sentinel: after a step, one more object (a Service nothing references) is written; once the source has
 * delivered it, everything written before it has been delivered too, as both sources deliver in order.
 */
abstract class SourceUnderTest implements AutoCloseable {
    static final String SENTINEL_NAMESPACE = "zz-sentinel";
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    private long step;
    private volatile String awaited;
    private volatile CountDownLatch arrived = new CountDownLatch(0);

    /** Writes the objects of one change to where the source reads them. */
    abstract void write(Change change, World world) throws Exception;

    /** Writes a Service (to the sentinel namespace). */
    abstract void writeSentinel(HasMetadata sentinel) throws Exception;

    /** The source, not yet started. */
    abstract Source source();

    /** What the source serves now, as the engine should see it (for the from-scratch engine). */
    abstract List<InputObject> current(World world) throws Exception;

    /** Starts the source into the engine, watching for sentinels on the way. */
    void start(InputSink engine) {
        source().start(new InputSink() {
            @Override
            public void upsert(InputObject object) {
                engine.upsert(object);
                if (object.ref().namespace().equals(SENTINEL_NAMESPACE) && object.ref().name().equals(awaited)) arrived.countDown();
            }

            @Override
            public void delete(ObjectRef ref) {
                engine.delete(ref);
            }

            @Override
            public void synced() {
                engine.synced();
            }
        });
    }

    /** Writes a step's changes, then waits until the source has delivered all of them. */
    void apply(List<Change> changes, World world) throws Exception {
        for (Change change : changes) write(change, world);
        String name = "sentinel-" + (++step);
        CountDownLatch latch = new CountDownLatch(1);
        awaited = name;
        arrived = latch;
        writeSentinel(new ServiceBuilder().withNewMetadata().withNamespace(SENTINEL_NAMESPACE).withName(name).endMetadata()
                .withNewSpec().addNewPort().withName("http").withPort(80).endPort().endSpec().build());
        if (!latch.await(DELIVERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the source did not deliver step " + step + " within " + DELIVERY_TIMEOUT);
        }
    }

    @Override
    public void close() throws Exception {
        source().close();
    }
}
