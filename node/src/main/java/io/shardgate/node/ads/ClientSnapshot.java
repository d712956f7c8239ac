package io.shardgate.node.ads;

import io.shardgate.translator.resource.ResourceType;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One connected client as the admin endpoint shows it; immutable, published by its stream after every
 * request and every push.
 *
 * @param unacknowledgedResponses responses written and not yet ACKed or NACKed (at most one per type)
 * @param maxUnacknowledgedResponses the most there ever were at once on this stream
 * @param unwrittenBytes bytes written that HTTP/2 flow control has not let onto the wire yet
 * @param backpressurePauses how many times the stream stopped producing because the client was not reading
 *     (for a relayed stream: how many times either side was paused because the other could not take more)
 * @param relayedTo the owner's ADS address ({@code host:port}) when this node relays the stream to the shard's
 *     owner, null when it serves the stream itself; a relayed stream has no per-type state here (the owner has it)
 */
public record ClientSnapshot(
        String nodeId,
        String gateway,
        int shard,
        Protocol protocol,
        Instant connectedAt,
        Map<ResourceType, TypeSnapshot> types,
        int unacknowledgedResponses,
        int maxUnacknowledgedResponses,
        long unwrittenBytes,
        long backpressurePauses,
        String relayedTo) {

    public ClientSnapshot {
        types = types.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(types));
    }

    /**
     * One type of one client.
     *
     * @param heldResources resources the client holds as far as its answers tell
     * @param rejectedVersions resources whose current version the client rejected
     */
    public record TypeSnapshot(
            boolean wildcard,
            int subscribedNames,
            int heldResources,
            String lastSentVersion,
            String lastSentNonce,
            boolean awaitingAck,
            String lastAckedVersion,
            String lastNackError,
            long responsesSent,
            long nacks,
            int rejectedVersions) {}
}
