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
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The baseline: java-control-plane 1.0.49's {@link SimpleCache} and {@link V3DiscoveryServer} (ADS, SotW and
 * Delta) on grpc-java's Netty server, fed by {@link SnapshotPublisher}. The node group of an Envoy is its gateway
 * and shard, as with Shardgate. Server threads are named {@code baseline-*}.
 */
public final class BaselineTarget extends TranslatingTarget {
    private final SnapshotPublisher publisher;
    private final NioEventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("baseline-boss", true));
    private final NioEventLoopGroup workers = new NioEventLoopGroup(Runtime.getRuntime().availableProcessors(), new DefaultThreadFactory("baseline-worker", true));
    private final ExecutorService executor = Executors.newCachedThreadPool(new DefaultThreadFactory("baseline-grpc", true));
    private final Server server;

    public BaselineTarget() {
        super(new ServedBytes(r -> SnapshotPublisher.parse(r.type(), r).toByteString()));
        SimpleCache<String> cache = new SimpleCache<>(BaselineTarget::group);
        this.publisher = new SnapshotPublisher(directory, cache);
        DiscoveryServerCallbacks counting = new DiscoveryServerCallbacks() {
            @Override
            public void onV3StreamRequest(long streamId, DiscoveryRequest request) {}

            @Override
            public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {}

            @Override
            public void onV3StreamResponse(long streamId, DiscoveryRequest request, DiscoveryResponse response) {
                counted(response.getSerializedSize());
            }

            @Override
            public void onV3StreamDeltaResponse(long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
                counted(response.getSerializedSize());
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
                    .addService(discovery.getAggregatedDiscoveryServiceImpl())
                    .build()
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("the baseline server did not start", e);
        }
    }

    @Override
    public boolean needsNodeOnEveryRequest() {
        return true;
    }

    /** The node group: gateway (node.cluster) and shard (metadata "shard"), as Shardgate reads them. */
    private static String group(Node node) {
        int shard = (int) node.getMetadata().getFieldsOrDefault("shard", com.google.protobuf.Value.getDefaultInstance()).getNumberValue();
        return SnapshotPublisher.group(node.getCluster(), shard);
    }


    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public int adsPort() {
        return server.getPort();
    }

    @Override
    protected void stopServer() throws InterruptedException {
        server.shutdownNow();
        try {
            server.awaitTermination(10, TimeUnit.SECONDS);
        } finally {
            publisher.close();
            executor.shutdownNow();
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
