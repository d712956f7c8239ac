package io.shardgate.node.ads;

import io.vertx.core.MultiMap;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.Set;

/**
 * Who may be served which gateway. Asked once per stream, before anything about the gateway is looked up, so
 * a client that may not serve a gateway learns nothing about it.
 */
public interface ClientAuthority {

    /**
     * The identities the stream is served under (carried to the owner when it is relayed).
     *
     * @throws io.vertx.grpc.server.StatusException UNAUTHENTICATED without a credential, PERMISSION_DENIED with
     *     one that may not serve the gateway the client names
     */
    Set<String> authorise(GrpcServerRequest<?, ?> call, ClientIdentity client);

    /** Tells streams relayed by other nodes (bounded per connection as a peer's). */
    PeerCheck peers();

    /** What a relay adds to the request it opens on the owner so the owner authorises the client again. */
    default void carry(Set<String> identities, MultiMap relayHeaders) {
        identities.forEach(id -> relayHeaders.add(CertificateAuthority.CLIENT_IDENTITY_HEADER, id));
    }

    /**
     * Plaintext ADS (--insecure-ads, for local development only): every client may serve every gateway, and a
     * stream is taken as relayed on its header alone.
     */
    ClientAuthority OPEN = new ClientAuthority() {
        @Override
        public Set<String> authorise(GrpcServerRequest<?, ?> call, ClientIdentity client) {
            return Set.of();
        }

        @Override
        public PeerCheck peers() {
            return PeerCheck.RELAY_HEADER;
        }
    };
}
