package io.shardgate.xdsclient;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** An ADS server on a loopback port whose answers a test scripts. */
final class FakeAdsServer implements AutoCloseable {
    static final String LISTENER_TYPE = "type.googleapis.com/envoy.config.listener.v3.Listener";

    private final Server server;

    FakeAdsServer(BindableService service) throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build().start();
    }

    int port() {
        return server.getPort();
    }

    /** A stream's requests, each handed to {@code onRequest}; its end is ignored. */
    static <T> StreamObserver<T> onRequests(Consumer<T> onRequest) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T request) {
                onRequest.accept(request);
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
        };
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
