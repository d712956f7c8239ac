package io.shardgate.node.report;

import java.util.List;
import java.util.SortedSet;

/**
 * Where the status of Gateway API objects goes, and the addresses a Gateway publishes: the node's status addresses
 * ({@code --status-address}), expanded for the gateway and its shards as an Ingress's are.
 */
public record GatewayApiStatus(GatewayApiStatusWriter writer, List<String> addressTemplates) {
    /**
     * No status at all (no Kubernetes): the engine does not even compute it. Another instance with the writer
     * {@link GatewayApiStatusWriter#NONE} computes status and drops it.
     */
    public static final GatewayApiStatus NONE = new GatewayApiStatus(GatewayApiStatusWriter.NONE, List.of());

    public GatewayApiStatus {
        addressTemplates = List.copyOf(addressTemplates);
    }

    /** The addresses of a Gateway of {@code gateway}, which spans all its shards. */
    public List<String> addresses(String gateway, SortedSet<Integer> shards) {
        return addressTemplates.isEmpty() ? List.of() : KubernetesStatusWriter.expand(addressTemplates, gateway, shards);
    }
}
