package io.shardgate.node.ads;

import io.shardgate.node.tls.CertificateIdentities;
import io.vertx.core.http.HttpConnection;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.StatusException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * mTLS: a client proves an identity with a certificate signed by the configured CA (the TLS handshake checks
 * the signature; see {@link AdsServerOptions#tls()}), and that identity must be one its gateway allows: those
 * its IngressClass names in {@code shardgate.io/client-identities}, or by default
 * {@code spiffe://<trust domain>/ns/<gateway namespace>/sa/shardgate-gateway-<gateway>}. A relayed stream comes
 * from another node: it is taken as relayed only when the connection's certificate is the node identity, and
 * is then authorised under the identities the relaying node authenticated, which it carries in
 * {@value #CLIENT_IDENTITY_HEADER} headers.
 */
public final class CertificateAuthority implements ClientAuthority {
    static final String CLIENT_IDENTITY_HEADER = "shardgate-client-identity";

    private final String nodeIdentity;
    private final String trustDomain;
    private final String gatewayNamespace;
    private final Function<String, List<String>> configured;

    /**
     * @param nodeIdentity the identity every node's certificate carries
     * @param configured a gateway's identities as its IngressClass names them (empty: the default)
     */
    public CertificateAuthority(String nodeIdentity, String trustDomain, String gatewayNamespace,
            Function<String, List<String>> configured) {
        this.nodeIdentity = nodeIdentity;
        this.trustDomain = trustDomain;
        this.gatewayNamespace = gatewayNamespace;
        this.configured = configured;
    }

    /** The identity a gateway's Envoys have when its IngressClass names none. */
    public static String defaultIdentity(String trustDomain, String gatewayNamespace, String gateway) {
        return "spiffe://" + trustDomain + "/ns/" + gatewayNamespace + "/sa/shardgate-gateway-" + gateway;
    }

    @Override
    public Set<String> authorise(GrpcServerRequest<?, ?> call, ClientIdentity client) {
        Set<String> presented = identitiesOf(call.connection());
        if (presented.isEmpty()) {
            throw new StatusException(GrpcStatus.UNAUTHENTICATED, "a client certificate signed by Shardgate's CA is"
                    + " required (mTLS; docs/security.md)");
        }
        Set<String> acting = presented;
        if (call.headers().contains(Relay.RELAYED_BY_HEADER)) {
            if (!presented.contains(nodeIdentity)) {
                throw new StatusException(GrpcStatus.PERMISSION_DENIED, "only a Shardgate node may relay a stream");
            }
            acting = new LinkedHashSet<>(call.headers().getAll(CLIENT_IDENTITY_HEADER));
        }
        List<String> allowed = allowedFor(client.gateway());
        if (Collections.disjoint(acting, allowed)) {
            throw new StatusException(GrpcStatus.PERMISSION_DENIED, "the client certificate "
                    + ClientText.escape(new TreeSet<>(acting).toString(), ClientText.MAX_ECHO_CHARS)
                    + " may not serve gateway '" + ClientText.escape(client.gateway(), ClientText.MAX_ECHO_CHARS) + "'");
        }
        return acting;
    }

    List<String> allowedFor(String gateway) {
        List<String> named = configured.apply(gateway);
        return named.isEmpty() ? List.of(defaultIdentity(trustDomain, gatewayNamespace, gateway)) : named;
    }

    @Override
    public PeerCheck peers() {
        return (connection, headers) -> identitiesOf(connection).contains(nodeIdentity);
    }

    static Set<String> identitiesOf(HttpConnection connection) {
        if (!connection.isSsl()) return Set.of();
        try {
            return CertificateIdentities.of(connection.peerCertificates());
        } catch (SSLPeerUnverifiedException e) {
            return Set.of();
        }
    }
}
