package io.shardgate.node.ads;

import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the relay client's connection to every other member once it is admitted, before any stream is relayed to
 * it. A shard moves to a member the moment it is ready, and every node then relays that shard's clients to it at
 * once: without this, each of those nodes first made a TLS handshake with a member whose JVM was seconds old, on
 * the same event loops that were sending the moved shard (the chaos rejoin at 3,000 domains left a shard's new
 * writes unserved 1.3 to 3.2 s with mutual TLS, 0.2 to 0.7 s in plaintext). The connection is opened with a stream
 * that is cancelled before anything is sent, and stays in the client's pool for the relays that follow (it never
 * expires while idle: {@link AdsServer#relayHttpOptions()}). Each member is connected to once per member id: a restarted
 * node has a new id.
 */
final class PeerConnections {
    private static final Logger LOG = LoggerFactory.getLogger(PeerConnections.class);
    private final GrpcClient relays;
    private final Set<String> opened = ConcurrentHashMap.newKeySet();

    PeerConnections(GrpcClient relays) {
        this.relays = relays;
    }

    /** Any thread: opens a connection to each peer not connected to yet, and forgets the peers gone. */
    void refresh(Map<String, String> peers) {
        opened.retainAll(peers.keySet());
        peers.forEach((memberId, adsAddress) -> {
            if (!opened.add(memberId)) return;
            SocketAddress address;
            try {
                address = Relay.parse(adsAddress);
            } catch (RuntimeException unusable) {
                return; // a relay to it fails with the reason when one is tried
            }
            relays.request(address).onComplete(opening -> {
                if (opening.succeeded()) {
                    opening.result().cancel();
                    LOG.debug("relay connection to member {} at {} opened", memberId, adsAddress);
                } else {
                    opened.remove(memberId); // tried again on the next shard table
                    LOG.debug("relay connection to member {} at {} not opened: {}", memberId, adsAddress,
                            String.valueOf(opening.cause()));
                }
            });
        });
    }

    /** The member ids connected to (or being connected to). */
    Set<String> opened() {
        return Set.copyOf(opened);
    }
}
