package io.shardgate.bench.target;

import io.shardgate.translator.input.GatewayLayout;

import io.shardgate.node.ads.AdsMetrics;
import io.shardgate.node.ads.AdsServer;
import io.shardgate.node.ads.AdsServerOptions;
import io.shardgate.node.ads.CertificateAuthority;
import io.shardgate.node.ads.ClientAuthority;
import io.shardgate.node.ads.ClientLimits;
import io.shardgate.node.tls.LocalCertificates;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.xdsclient.XdsClientOptions.ClientTls;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Shardgate: the engine, its shard stores and its ADS server (Vert.x, one event loop per core), one node, no cluster;
 * plaintext, or mTLS as a node serves by default: the certificates a node makes for itself on first start, and every
 * client presenting the Envoy certificate among them, which the {@link CertificateAuthority} allows for any gateway (as
 * an IngressClass naming it in {@code shardgate.io/client-identities} would).
 */
public final class ShardgateTarget extends TranslatingTarget {
    private static final String NODE_IDENTITY = "spiffe://cluster.local/ns/shardgate/sa/shardgate";
    private static final String ENVOY_IDENTITY = "spiffe://cluster.local/ns/shardgate/sa/bench-envoy";

    private final Vertx vertx = Vertx.vertx();
    private final AdsServer ads;
    private final int port;
    private final Path certificates;
    private final ClientTls clientTls;
    private final GatewayLayout layout;

    public ShardgateTarget(boolean mtls) {
        this(mtls, GatewayLayout.CLASSIC);
    }

    public ShardgateTarget(boolean mtls, GatewayLayout layout) {
        super(ServedBytes.asStored());
        this.layout = layout;
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
                LocalCertificates.Issued issued = LocalCertificates.ensure(certificates, NODE_IDENTITY, ENVOY_IDENTITY);
                options = options.withTls(issued.node());
                clientTls = new ClientTls(issued.envoyCertificate(), issued.envoyKey(), issued.node().ca());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            authority = new CertificateAuthority(NODE_IDENTITY, "cluster.local", "shardgate", gateway -> List.of(ENVOY_IDENTITY));
        } else {
            certificates = null;
            clientTls = null;
        }
        try {
            this.port = ads.listen(options, ClientLimits.DEFAULTS, authority)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the ADS server did not start", e);
        }
    }

    @Override
    public String name() {
        if (layout == GatewayLayout.SCOPED) return "shardgate-scoped";
        return clientTls == null ? "shardgate" : "shardgate-mtls";
    }

    @Override
    public GatewayLayout layout() {
        return layout;
    }

    @Override
    public int adsPort() {
        return port;
    }

    @Override
    public ClientTls clientTls(String gateway) {
        return clientTls;
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
