package io.shardgate.bench.target;

import io.shardgate.node.ads.AdsMetrics;
import io.shardgate.node.ads.AdsServer;
import io.shardgate.node.ads.AdsServerOptions;
import io.shardgate.node.ads.CertificateAuthority;
import io.shardgate.node.ads.ClientAuthority;
import io.shardgate.node.ads.ClientLimits;
import io.shardgate.node.tls.LocalCertificates;
import io.shardgate.node.tls.TlsFiles;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.xdsclient.XdsClientOptions.ClientTls;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Shardgate: the engine, its shard stores and its ADS server (Vert.x, one event loop per core), one node, no cluster;
 * plaintext, or mTLS as a node serves by default (a CA of its own, every client authorised for its gateway by its
 * certificate, as {@link CertificateAuthority} does in production).
 */
public final class ShardgateTarget extends TranslatingTarget {
    private static final String TRUST_DOMAIN = "cluster.local";
    private static final String NAMESPACE = "shardgate";
    private static final String NODE_IDENTITY = "spiffe://" + TRUST_DOMAIN + "/ns/" + NAMESPACE + "/sa/shardgate";

    private final Vertx vertx = Vertx.vertx();
    private final AdsServer ads;
    private final int port;
    private final Path certificates;
    private final LocalCertificates.Authority ca;
    private final Map<String, ClientTls> clientTls = new ConcurrentHashMap<>();

    public ShardgateTarget(boolean mtls) {
        super(ServedBytes.asStored());
        AdsMetrics metrics = new AdsMetrics() {
            @Override
            public void pushed(ResourceType type, int size, int resources, long latencyNanos) {
                counted(size);
            }
        };
        this.ads = new AdsServer(vertx, directory, metrics,
                nack -> engine.attributeRejection(nack.shard(), nack.type(), nack.rejectedVersions().keySet(), nack.errorMessage()));
        AdsServerOptions options = AdsServerOptions.onPort(0).withHost("127.0.0.1");
        ClientAuthority authority = ClientAuthority.OPEN;
        if (mtls) {
            try {
                certificates = Files.createTempDirectory("shardgate-bench-tls");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ca = LocalCertificates.Authority.create("bench CA");
            LocalCertificates.Pem node = ca.issue("node", List.of(NODE_IDENTITY), List.of("localhost"), List.of("127.0.0.1"), true, true);
            options = options.withTls(new TlsFiles(write("node.crt", node.certificate()), write("node.key", node.key()),
                    write("ca.crt", ca.certificatePem())));
            authority = new CertificateAuthority(NODE_IDENTITY, TRUST_DOMAIN, NAMESPACE, gateway -> List.of());
        } else {
            certificates = null;
            ca = null;
        }
        try {
            this.port = ads.listen(options, ClientLimits.DEFAULTS, authority)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the ADS server did not start", e);
        }
    }

    private Path write(String name, String pem) {
        try {
            return Files.writeString(certificates.resolve(name), pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return ca == null ? "shardgate" : "shardgate-mtls";
    }

    @Override
    public int adsPort() {
        return port;
    }

    @Override
    public ClientTls clientTls(String gateway) {
        if (ca == null) return null;
        return clientTls.computeIfAbsent(gateway, g -> {
            LocalCertificates.Pem envoy = ca.issue("envoy", List.of(CertificateAuthority.defaultIdentity(TRUST_DOMAIN, NAMESPACE, g)),
                    List.of(), List.of(), false, true);
            return new ClientTls(write(g + ".crt", envoy.certificate()), write(g + ".key", envoy.key()), certificates.resolve("ca.crt"));
        });
    }

    @Override
    protected void stopServer() throws Exception {
        ads.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (certificates != null) {
            try (var files = Files.list(certificates)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(certificates);
        }
    }
}
