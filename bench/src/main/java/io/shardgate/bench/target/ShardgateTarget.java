package io.shardgate.bench.target;

import io.shardgate.node.ads.AdsMetrics;
import io.shardgate.node.ads.AdsServer;
import io.shardgate.node.ads.AdsServerOptions;
import io.shardgate.node.engine.TranslationEngine;
import io.shardgate.node.store.ShardDirectory;
import io.shardgate.translator.resource.ResourceType;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** Shardgate: the engine, its shard stores and its ADS server (Vert.x, one event loop per core), one node, no cluster. */
public final class ShardgateTarget implements Target {
    private final ShardDirectory directory = new ShardDirectory();
    private final TranslationEngine engine;
    private final Vertx vertx = Vertx.vertx();
    private final AdsServer ads;
    private final LongAdder bytes = new LongAdder();
    private final LongAdder responses = new LongAdder();
    private final int port;
    private final ServedBytes served = ServedBytes.asStored();

    public ShardgateTarget() {
        this.engine = TranslationStage.engine(directory);
        AdsMetrics metrics = new AdsMetrics() {
            @Override
            public void pushed(ResourceType type, int size, int resources, long latencyNanos) {
                bytes.add(size);
                responses.increment();
            }
        };
        this.ads = new AdsServer(vertx, directory, metrics,
                nack -> engine.attributeRejection(nack.shard(), nack.type(), nack.rejectedVersions().keySet(), nack.errorMessage()));
        try {
            this.port = ads.listen(AdsServerOptions.onPort(0).withHost("127.0.0.1"))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the ADS server did not start", e);
        }
    }

    @Override
    public String name() {
        return "shardgate";
    }

    @Override
    public TranslationEngine engine() {
        return engine;
    }

    @Override
    public ShardDirectory directory() {
        return directory;
    }

    @Override
    public int adsPort() {
        return port;
    }

    @Override
    public ServedBytes servedBytes() {
        return served;
    }

    @Override
    public long bytesSent() {
        return bytes.sum();
    }

    @Override
    public long responsesSent() {
        return responses.sum();
    }

    @Override
    public void close() {
        try {
            ads.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the ADS server did not stop", e);
        } finally {
            engine.close();
        }
    }
}
