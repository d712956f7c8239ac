package io.shardgate.node.ads;

import io.shardgate.node.tls.TlsFiles;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.List;

/** Vert.x's TLS options for the ADS server and for the relays between nodes, from the node's PEM files. */
final class TlsOptions {
    private TlsOptions() {}

    /**
     * HTTP/2 over TLS (ALPN h2). Client certificates are requested, not required, so a client without one completes
     * the handshake and is told why it is refused (UNAUTHENTICATED) instead of seeing a broken connection; a
     * certificate it does present must chain to the CA or the handshake fails.
     */
    static HttpServerOptions server(TlsFiles tls) {
        HttpServerOptions options = new HttpServerOptions().setSsl(true).setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2))
                .setKeyCertOptions(keyCert(tls))
                .setTrustOptions(trust(tls))
                .setClientAuth(ClientAuth.REQUEST);
        return options;
    }

    /**
     * A node relaying to another presents its own certificate; the owner's certificate must chain to the CA. The
     * owner's address is the one in its signed member proof (an IP), so the host name is not checked.
     */
    static HttpClientOptions client(TlsFiles tls) {
        return AdsServer.relayHttpOptions().setSsl(true).setUseAlpn(true)
                .setKeyCertOptions(keyCert(tls)).setTrustOptions(trust(tls)).setVerifyHost(false);
    }

    static PemKeyCertOptions keyCert(TlsFiles tls) {
        return new PemKeyCertOptions().setCertPath(tls.certificate().toString()).setKeyPath(tls.key().toString());
    }

    static PemTrustOptions trust(TlsFiles tls) {
        return new PemTrustOptions().addCertPath(tls.ca().toString());
    }
}
