package io.shardgate.node.ads;

import io.shardgate.node.tls.TlsFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a node's first TLS handshakes before any client needs them: a few connections to its own ADS port, each
 * a full handshake with the node's certificate (a new client each time, so no session is resumed), closed once
 * the handshake is done. A node takes shards seconds after it starts, and at that moment the moved shards' clients
 * reconnect to it; in a JVM that had made no handshake yet, those handshakes ran interpreted on the event loops
 * that were sending the moved shards (see {@link PeerConnections} for the figures). Runs while the node reads its
 * sources, which it must finish before it is given any shard.
 */
final class TlsWarmup {
    private static final Logger LOG = LoggerFactory.getLogger(TlsWarmup.class);
    private TlsWarmup() {}

    /** Completes with the number of handshakes made (fewer if one failed: the warm-up is then given up). */
    static Future<Integer> run(Vertx vertx, TlsFiles tls, String host, int port, int handshakes) {
        long started = System.nanoTime();
        return next(vertx, tls, host, port, 0, handshakes).onComplete(done -> {
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (done.succeeded()) {
                LOG.info("TLS warmed up: {} handshakes with the ADS port in {} ms", done.result(), millis);
            } else {
                LOG.info("TLS warm-up given up after {} ms: {}", millis, String.valueOf(done.cause()));
            }
        });
    }

    private static Future<Integer> next(Vertx vertx, TlsFiles tls, String host, int port, int made, int handshakes) {
        if (made == handshakes) return Future.succeededFuture(made);
        NetClient client = vertx.createNetClient(new NetClientOptions().setSsl(true).setUseAlpn(true)
                .setApplicationLayerProtocols(List.of(HttpVersion.HTTP_2.alpnName()))
                .setKeyCertOptions(TlsOptions.keyCert(tls)).setTrustOptions(TlsOptions.trust(tls))
                .setHostnameVerificationAlgorithm(""));
        return client.connect(port, host)
                .compose(socket -> socket.close())
                .eventually(() -> client.close())
                .compose(v -> next(vertx, tls, host, port, made + 1, handshakes));
    }
}
