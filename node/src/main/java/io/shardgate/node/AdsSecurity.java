package io.shardgate.node;

import io.shardgate.node.ads.CertificateAuthority;
import io.shardgate.node.ads.ClientAuthority;
import io.shardgate.node.config.AdsTls;
import io.shardgate.node.config.ConfigException;
import io.shardgate.node.tls.CertificateIdentities;
import io.shardgate.node.tls.LocalCertificates;
import io.shardgate.node.tls.TlsFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What secures ADS: the node's TLS files (given, or made under the state directory on first start) and who may be
 * served which gateway. {@code files} is null for plaintext (--insecure-ads).
 */
record AdsSecurity(TlsFiles files, ClientAuthority authority) {
    private static final Logger log = LoggerFactory.getLogger(AdsSecurity.class);

    /** @param configured a gateway's identities as its IngressClass names them (empty: the default) */
    static AdsSecurity of(AdsTls tls, Path stateDir, Function<String, List<String>> configured) {
        if (tls.insecure()) {
            log.warn("--insecure-ads: ADS is plaintext and serves every gateway's configuration and TLS keys to any"
                    + " process that reaches port; for local development only (docs/security.md)");
            return new AdsSecurity(null, ClientAuthority.OPEN);
        }
        TlsFiles files = tls.files();
        if (files == null) files = local(tls, stateDir.resolve("tls"));
        String nodeIdentity = tls.nodeIdentity() != null ? tls.nodeIdentity() : uriOf(files.certificate());
        return new AdsSecurity(files, new CertificateAuthority(nodeIdentity, tls.trustDomain(), tls.gatewayNamespace(), configured));
    }

    private static TlsFiles local(AdsTls tls, Path dir) {
        String envoyIdentity = CertificateAuthority.defaultIdentity(tls.trustDomain(), tls.gatewayNamespace(), "shardgate");
        try {
            LocalCertificates.Issued issued = LocalCertificates.ensure(dir, tls.localNodeIdentity(), envoyIdentity);
            log.info("ADS uses mTLS with {} certificates in {}: CA {}, Envoy client certificate {} and key {} ({}, the"
                    + " default identity of gateway 'shardgate'); examples/envoy/bootstrap.yaml reads them from there",
                    issued.created() ? "new local" : "the local", dir.toAbsolutePath(), LocalCertificates.CA,
                    LocalCertificates.ENVOY_CERT, LocalCertificates.ENVOY_KEY, envoyIdentity);
            return issued.node();
        } catch (IOException e) {
            throw new ConfigException("--state-dir=" + dir.getParent() + ": cannot make local certificates in " + dir
                    + " (" + e.getMessage() + "); give --tls-cert, --tls-key and --tls-ca, or --insecure-ads");
        }
    }

    /** The URI name of the node's own certificate: the identity peers recognise as a node. */
    private static String uriOf(Path certificate) {
        try (InputStream in = Files.newInputStream(certificate)) {
            var chain = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
            List<String> uris = CertificateIdentities.of(chain).stream().filter(id -> id.contains("://")).toList();
            if (uris.size() != 1) {
                throw new ConfigException("--tls-cert=" + certificate + " must carry exactly one URI name (the node"
                        + " identity other nodes recognise), has " + uris + "; or give --node-identity");
            }
            return uris.get(0);
        } catch (IOException | CertificateException e) {
            throw new ConfigException("--tls-cert=" + certificate + ": cannot read a certificate (" + e.getMessage() + ")");
        }
    }
}
