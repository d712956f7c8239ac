package io.shardgate.bench.target;

import io.shardgate.node.ads.AdsMetrics;
import io.shardgate.node.ads.AdsServer;
import io.shardgate.node.ads.AdsServerOptions;
import io.shardgate.translator.resource.ResourceType;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** Shardgate: the engine, its shard stores and its ADS server (Vert.x, one event loop per core), one node, no cluster. */
public final class ShardgateTarget extends TranslatingTarget {
    private final Vertx vertx = Vertx.vertx();
    private final AdsServer ads;
    private final int port;

    public ShardgateTarget() {
        super(ServedBytes.asStored());
        AdsMetrics metrics = new AdsMetrics() {
            @Override
            public void pushed(ResourceType type, int size, int resources, long latencyNanos) {
                counted(size);
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
    public int adsPort() {
        return port;
    }

    @Override
    protected void stopServer() throws Exception {
        ads.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
