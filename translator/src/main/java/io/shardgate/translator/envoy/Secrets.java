package io.shardgate.translator.envoy;

import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.shardgate.translator.input.TlsSecretInput;

/** The SDS secret of a kubernetes.io/tls Secret: certificate chain and key inline, as PEM. */
final class Secrets {

    private Secrets() {}

    static Secret secret(TlsSecretInput input) {
        return Secret.newBuilder()
                .setName(EnvoyNames.secret(input.namespace(), input.name()))
                .setTlsCertificate(TlsCertificate.newBuilder()
                        .setCertificateChain(DataSource.newBuilder().setInlineBytes(input.certificatePem()))
                        .setPrivateKey(DataSource.newBuilder().setInlineBytes(input.privateKeyPem())))
                .build();
    }
}
