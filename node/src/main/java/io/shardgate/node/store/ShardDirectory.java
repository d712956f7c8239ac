package io.shardgate.node.store;

import io.shardgate.sharding.ShardId;
import io.shardgate.translator.input.GatewayLayout;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shards this node knows, by gateway: how the ADS server finds the store an Envoy asks for.
 * A gateway is known once its IngressClass is seen; its shards exist from then on (they may be empty).
 */
public final class ShardDirectory {
    private final Map<String, Integer> shardCounts = new ConcurrentHashMap<>();
    private final Map<ShardId, ShardStore> stores = new ConcurrentHashMap<>();
    private final Map<String, List<String>> clientIdentities = new ConcurrentHashMap<>();
    private final Map<String, GatewayLayout> layouts = new ConcurrentHashMap<>();
    private volatile boolean synced;

    public sealed interface Lookup {
        record Found(ShardStore store) implements Lookup {}

        record UnknownGateway(String gateway) implements Lookup {}

        record UnknownShard(String gateway, int shard, int shardCount) implements Lookup {}
    }

    public Lookup find(String gateway, int shard) {
        Integer count = shardCounts.get(gateway);
        if (count == null) return new Lookup.UnknownGateway(gateway);
        if (shard < 0 || shard >= count) return new Lookup.UnknownShard(gateway, shard, count);
        return new Lookup.Found(store(new ShardId(gateway, shard)));
    }

    /**
     * True once the sources have delivered their initial state: only then is an unknown gateway really
     * unknown (before, every gateway is).
     */
    public boolean isSynced() {
        return synced;
    }

    public void markSynced() {
        synced = true;
    }

    /** Declares a gateway and its shard count (the writer side: the engine). */
    public void defineGateway(String gateway, int shards) {
        shardCounts.put(gateway, shards);
    }

    public void removeGateway(String gateway) {
        shardCounts.remove(gateway);
        clientIdentities.remove(gateway);
        layouts.remove(gateway);
    }

    /** The client certificate identities its IngressClass names for a gateway; empty for the default. */
    public void allowClients(String gateway, List<String> identities) {
        clientIdentities.put(gateway, List.copyOf(identities));
    }

    /** The layout its class chooses for a gateway (the writer side: the engine). */
    public void useLayout(String gateway, GatewayLayout layout) {
        layouts.put(gateway, layout);
    }

    /** What {@link #useLayout} said for the gateway; classic when it said nothing. */
    public GatewayLayout layout(String gateway) {
        return layouts.getOrDefault(gateway, GatewayLayout.CLASSIC);
    }

    /** What {@link #allowClients} said for the gateway; empty when it said nothing (the default applies). */
    public List<String> clientIdentities(String gateway) {
        return clientIdentities.getOrDefault(gateway, List.of());
    }

    public Map<String, Integer> gateways() {
        return Map.copyOf(shardCounts);
    }

    /** The store of a shard, created empty on first use. */
    public ShardStore store(ShardId key) {
        return stores.computeIfAbsent(key, ShardStore::new);
    }

    public Map<ShardId, ShardStore> stores() {
        return Map.copyOf(stores);
    }
}
