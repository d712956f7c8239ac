package io.shardgate.xdsclient;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/2 connection on which a test opens bare ADS streams and sends exactly the requests it wants, as a
 * hostile client would: nothing is ACKed unless the test sends it, and a stream may read nothing at all (with a
 * small flow-control window, the server then holds what it wrote). Unlike {@link XdsClient}, nothing here
 * behaves like Envoy.
 */
public final class BareAds implements AutoCloseable {
    private final ManagedChannel channel;

    /** @param window the HTTP/2 flow-control window this client grants each stream */
    public BareAds(String host, int port, int window) {
        channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().flowControlWindow(window)
                .maxInboundMessageSize(Integer.MAX_VALUE).build();
    }

    /** Over TLS with {@code tls} (its certificate null: presenting none). */
    public BareAds(int port, XdsClientOptions.ClientTls tls) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(ClientTlsContexts.of(tls))
                .maxInboundMessageSize(Integer.MAX_VALUE).build();
    }

    public BareAds(int port, int window) {
        this("127.0.0.1", port, window);
    }

    public BareAds(int port) {
        this(port, 1 << 20);
    }

    public static Node node(String id, String gateway) {
        return Node.newBuilder().setId(id).setCluster(gateway).build();
    }

    public static DiscoveryRequest sotw(Node node, XdsType type, String nonce, Iterable<String> names) {
        return DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type.typeUrl()).setResponseNonce(nonce)
                .addAllResourceNames(names).build();
    }

    /** One stream and what came back on it. */
    public static final class Stream<Req, Resp> implements ClientResponseObserver<Req, Resp> {
        private final List<Resp> responses = new CopyOnWriteArrayList<>();
        private final CompletableFuture<Status> ended = new CompletableFuture<>();
        private final boolean reads;
        private ClientCallStreamObserver<Req> requests;

        private Stream(boolean reads) {
            this.reads = reads;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<Req> requests) {
            this.requests = requests;
            if (!reads) requests.disableAutoRequestWithInitial(0);
        }

        public List<Resp> responses() {
            return responses;
        }

        public CompletableFuture<Status> ended() {
            return ended;
        }

        public void send(Req request) {
            synchronized (this) {
                requests.onNext(request);
            }
        }

        @Override
        public synchronized void onNext(Resp response) {
            responses.add(response);
            notifyAll();
        }

        @Override
        public synchronized void onError(Throwable t) {
            ended.complete(Status.fromThrowable(t));
            notifyAll();
        }

        @Override
        public synchronized void onCompleted() {
            ended.complete(Status.OK);
            notifyAll();
        }

        public Status awaitEnd(Duration timeout) throws Exception {
            return ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Waits for the n-th response (1-based); fails if the stream ends or the timeout passes first. */
        public Resp awaitResponse(int n, Duration timeout) throws Exception {
            if (!awaitResponseOrEnd(n, timeout)) {
                throw new AssertionError(ended.isDone() ? "stream ended: " + ended.get() : "no response " + n + " within " + timeout);
            }
            return responses.get(n - 1);
        }

        /** True once there are n responses; false once the stream ended without them or the timeout passed. */
        public synchronized boolean awaitResponseOrEnd(int n, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (responses.size() < n && !ended.isDone()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return responses.size() >= n;
        }

        /** For a stream opened not reading: lets {@code n} more responses in. */
        public void read(int n) {
            requests.request(n);
        }

        public void cancel() {
            requests.cancel("test done", null);
        }
    }

    /**
     * @param reads false for a stream that reads nothing until {@link Stream#read} lets responses in
     * @param headers extra request headers, or null
     */
    public Stream<DiscoveryRequest, DiscoveryResponse> sotw(boolean reads, Metadata headers) {
        Stream<DiscoveryRequest, DiscoveryResponse> stream = new Stream<>(reads);
        var stub = AggregatedDiscoveryServiceGrpc.newStub(channel);
        if (headers != null) stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        stub.streamAggregatedResources(stream);
        return stream;
    }

    public Stream<DiscoveryRequest, DiscoveryResponse> sotw() {
        return sotw(true, null);
    }

    public Stream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> delta() {
        Stream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> stream = new Stream<>(true);
        AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(stream);
        return stream;
    }

    /** A SotW stream whose requests are gzip-compressed. */
    public Stream<DiscoveryRequest, DiscoveryResponse> gzipSotw() {
        Stream<DiscoveryRequest, DiscoveryResponse> stream = new Stream<>(true);
        AggregatedDiscoveryServiceGrpc.newStub(channel).withCompression("gzip").streamAggregatedResources(stream);
        return stream;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
