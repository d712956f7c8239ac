package io.shardgate.bench.target;

import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.shardgate.node.engine.TranslationEngine;
import io.shardgate.node.store.ShardDirectory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The baseline: java-control-plane 1.0.49's {@link SimpleCache} and {@link V3DiscoveryServer} (ADS, SotW and
 * Delta) on grpc-java's Netty server, fed by {@link SnapshotPublisher}. The node group of an Envoy is its gateway
 * and shard, as with Shardgate. Server threads are named {@code baseline-*}.
 */
public final class BaselineTarget implements Target {
    private final ShardDirectory directory = new ShardDirectory();
    private final TranslationEngine engine;
    private final SnapshotPublisher publisher;
    private final NioEventLoopGroup boss = new NioEventLoopGroup(1, named("baseline-boss"));
    private final NioEventLoopGroup workers = new NioEventLoopGroup(Runtime.getRuntime().availableProcessors(), named("baseline-worker"));
    private final ExecutorService executor = Executors.newCachedThreadPool(named("baseline-grpc"));
    private final Server server;
    private final LongAdder bytes = new LongAdder();
    private final LongAdder responses = new LongAdder();
    private final ServedBytes served = new ServedBytes(r -> SnapshotPublisher.parse(r.type(), r).toByteString());

    public BaselineTarget() {
        this.engine = TranslationStage.engine(directory);
        SimpleCache<String> cache = new SimpleCache<>(BaselineTarget::group);
        this.publisher = new SnapshotPublisher(directory, cache);
        DiscoveryServerCallbacks counting = new DiscoveryServerCallbacks() {
            @Override
            public void onV3StreamRequest(long streamId, DiscoveryRequest request) {}

            @Override
            public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {}

            @Override
            public void onV3StreamResponse(long streamId, DiscoveryRequest request, DiscoveryResponse response) {
                bytes.add(response.getSerializedSize());
                responses.increment();
            }

            @Override
            public void onV3StreamDeltaResponse(long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
                bytes.add(response.getSerializedSize());
                responses.increment();
            }
        };
        V3DiscoveryServer discovery = new V3DiscoveryServer(List.of(counting), cache);
        try {
            this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .channelType(NioServerSocketChannel.class)
                    .bossEventLoopGroup(boss)
                    .workerEventLoopGroup(workers)
                    .executor(executor)
                    .maxInboundMessageSize(64 << 20)
                    .addService(io.grpc.ServerInterceptors.intercept(discovery.getAggregatedDiscoveryServiceImpl(), new NodeOnEveryRequest()))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("the baseline server did not start", e);
        }
    }

    /** The node group: gateway (node.cluster) and shard (metadata "shard"), as Shardgate reads them. */
    private static String group(Node node) {
        int shard = (int) node.getMetadata().getFieldsOrDefault("shard", com.google.protobuf.Value.getDefaultInstance()).getNumberValue();
        return SnapshotPublisher.group(node.getCluster(), shard);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String name() {
        return "baseline";
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
        return server.getPort();
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
        server.shutdownNow();
        try {
            server.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close();
        engine.close();
        executor.shutdownNow();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
