package io.shardgate.node.engine;

import io.shardgate.node.store.ShardDirectory;
import io.shardgate.sharding.ShardId;
import io.shardgate.sharding.DomainSharding;
import io.shardgate.translator.Translator;
import io.shardgate.translator.domain.DomainResult;
import io.shardgate.translator.input.GatewayLayout;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.shard.SharedResources;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The gateways and their shard counts, the shards this node owns (their states), and where each domain is
 * placed. The engine places domains by this set, which changes only when ownership is reconciled, never by the
 * live table: a domain placed while the table says otherwise would be dropped from a shard the engine still
 * holds, and the next reconcile, seeing the shard still owned, would never bring it back. Engine thread only.
 */
final class OwnedShards {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OwnedShards.class);
    private final Translator translator;
    private final ShardDirectory directory;
    private final ShardOwnership ownership;
    private final EngineMetrics metrics;
    private final Map<String, Integer> gatewayShards = new TreeMap<>();
    private final Map<String, GatewayLayout> gatewayLayouts = new HashMap<>();
    private final Map<ShardId, ShardState> shards = new HashMap<>();
    private final Map<DomainKey, ShardId> location = new HashMap<>();
    private long layoutChanges;

    /** A shard this node stopped owning, with the domains it held. */
    record Lost(ShardId key, ShardState state) {}

    OwnedShards(Translator translator, ShardDirectory directory, ShardOwnership ownership, EngineMetrics metrics) {
        this.translator = translator;
        this.directory = directory;
        this.ownership = ownership;
        this.metrics = metrics;
    }

    /**
     * Brings gateways in line with what the IngressClasses want (gateway → shard count). A removed or
     * re-sharded gateway's domains all move or go, so they are marked dirty; its old shards are retired after
     * the drain. A new gateway's owned shards are created and its domains marked dirty.
     */
    void syncGateways(Map<String, Integer> desired, Map<String, GatewayLayout> layouts, Function<String, Set<String>> hostsOf,
            Dirty dirty, SharedResources shared) {
        relayout(layouts, dirty, shared);
        for (Map.Entry<String, Integer> current : Map.copyOf(gatewayShards).entrySet()) {
            String gateway = current.getKey();
            if (current.getValue().equals(desired.get(gateway))) continue;
            shards.keySet().stream().filter(k -> k.gateway().equals(gateway))
                    .forEach(k -> shards.get(k).assembly().hosts().forEach(h -> dirty.domains.add(new DomainKey(gateway, h))));
            gatewayShards.remove(gateway);
            layoutChanges++;
            if (!desired.containsKey(gateway)) directory.removeGateway(gateway);
        }
        for (Map.Entry<String, Integer> d : desired.entrySet()) {
            if (gatewayShards.containsKey(d.getKey())) continue;
            gatewayShards.put(d.getKey(), d.getValue());
            layoutChanges++;
            directory.defineGateway(d.getKey(), d.getValue());
            for (int shard = 0; shard < d.getValue(); shard++) {
                ShardId key = new ShardId(d.getKey(), shard);
                if (ownership.owns(key) && !shards.containsKey(key)) gain(key);
            }
            hostsOf.apply(d.getKey()).forEach(h -> dirty.domains.add(new DomainKey(d.getKey(), h)));
        }
        ownership.shardsDefined(allShards());
    }

    /** Creates state for newly owned shards (marking their domains dirty) and returns the shards lost. */
    List<Lost> reconcile(Function<String, Set<String>> hostsOf, Dirty dirty) {
        List<Lost> lost = new ArrayList<>();
        for (ShardId key : allShards()) {
            boolean owned = ownership.owns(key);
            if (owned && !shards.containsKey(key)) {
                gain(key);
                int count = gatewayShards.get(key.gateway());
                for (String host : hostsOf.apply(key.gateway())) {
                    if (DomainSharding.shardOf(host, count) == key.shard()) dirty.domains.add(new DomainKey(key.gateway(), host));
                }
            } else if (!owned && shards.containsKey(key)) {
                ShardState state = shards.remove(key);
                layoutChanges++;
                state.assembly().hosts().forEach(host -> location.remove(new DomainKey(key.gateway(), host)));
                metrics.shardGone(key);
                lost.add(new Lost(key, state));
            }
        }
        return lost;
    }

    /**
     * A gateway whose class chose another layout keeps its shards: each re-files what it serves the new way, and its
     * domains are translated again (the layout decides which hosts have a plain-HTTP virtual host).
     */
    private void relayout(Map<String, GatewayLayout> layouts, Dirty dirty, SharedResources shared) {
        gatewayLayouts.keySet().retainAll(layouts.keySet());
        layouts.forEach((gateway, layout) -> {
            directory.useLayout(gateway, layout);
            if (gatewayLayouts.put(gateway, layout) == layout) return;
            shards.forEach((key, state) -> {
                if (!key.gateway().equals(gateway) || state.assembly().layout() == layout) return;
                log.info("shard {} switches to the {} layout", key, layout.annotationValue());
                state.assembly().relayout(layout, shared);
                state.assembly().hosts().forEach(h -> dirty.domains.add(new DomainKey(gateway, h)));
            });
        });
    }

    /** The layout of a gateway's class; classic for a gateway not (or no longer) defined. */
    GatewayLayout layoutOf(String gateway) {
        return gatewayLayouts.getOrDefault(gateway, GatewayLayout.CLASSIC);
    }

    private void gain(ShardId key) {
        log.info("shard {} is owned here now: translating it (served once complete)", key);
        ShardState state = new ShardState(directory.store(key), translator, layoutOf(key.gateway()));
        shards.put(key, state);
        layoutChanges++;
        metrics.shardGained(key, state);
    }

    /** The owned shard a domain belongs in, or null (unknown gateway, or a shard owned elsewhere). */
    ShardId target(DomainKey d) {
        return ownedShardOf(d.gateway(), d.host());
    }

    /** The owned shard of a gateway that a key (a host, or an object's status key) hashes to, or null. */
    ShardId ownedShardOf(String gateway, String key) {
        Integer count = gatewayShards.get(gateway);
        if (count == null) return null;
        ShardId shard = new ShardId(gateway, DomainSharding.shardOf(key, count));
        return shards.containsKey(shard) ? shard : null;
    }

    /**
     * Counts changes to the owned shards and to every gateway's shard count, which decide which keys hash to a shard
     * owned here: an unchanged count means the same keys are owned here (a change may leave them the same too).
     */
    long layoutVersion() {
        return layoutChanges;
    }

    /** Every shard index of a gateway, or none when it has no shards here. */
    SortedSet<Integer> allShardsOf(String gateway) {
        SortedSet<Integer> out = new TreeSet<>();
        Integer count = gatewayShards.get(gateway);
        for (int i = 0; count != null && i < count; i++) out.add(i);
        return out;
    }

    /** The owned shard the domain is placed in, or null. */
    ShardId locationOf(DomainKey d) {
        return location.get(d);
    }

    /** The domain's current result here, or null. */
    DomainResult resultOf(DomainKey d) {
        ShardId at = location.get(d);
        return at == null ? null : shards.get(at).assembly().domain(d.host());
    }

    /** Moves a domain's result into its shard (null target or result: it is no longer served here). */
    void place(DomainKey d, ShardId target, DomainResult result, SharedResources shared) {
        ShardId current = location.get(d);
        if (current != null && !current.equals(target)) {
            shards.get(current).assembly().apply(d.host(), null, shared);
            location.remove(d);
        }
        if (target != null && result != null) {
            shards.get(target).assembly().apply(d.host(), result, shared);
            location.put(d, target);
        }
    }

    /** Drops the states of removed gateways' shards and of shard indexes beyond a lowered count. */
    void retire() {
        shards.keySet().removeIf(k -> {
            Integer count = gatewayShards.get(k.gateway());
            boolean retired = count == null || k.shard() >= count;
            if (retired) {
                log.info("shard {} is dropped: {}", k, count == null ? "its gateway (IngressClass) is gone"
                        : "its gateway has " + count + " shards now");
                metrics.shardGone(k);
            }
            return retired;
        });
    }

    /** Shards of every gateway that no node owns yet. */
    int unplaced() {
        int unplaced = 0;
        for (ShardId key : allShards()) {
            if (!ownership.isAssigned(key)) unplaced++;
        }
        return unplaced;
    }

    /** The shards the live table gives this node are exactly those it holds (an ownership event is not on its way). */
    boolean matchesTable() {
        for (ShardId key : allShards()) {
            if (ownership.isAssigned(key) && ownership.owns(key) != shards.containsKey(key)) return false;
        }
        return true;
    }

    /** The shards held here whose stores are complete. */
    Set<ShardId> readyShards() {
        Set<ShardId> ready = new TreeSet<>();
        shards.forEach((k, state) -> { if (state.store().isReady()) ready.add(k); });
        return ready;
    }

    Collection<ShardState> states() {
        return shards.values();
    }

    ShardState state(ShardId key) {
        return shards.get(key);
    }

    int gatewayCount() {
        return gatewayShards.size();
    }

    int placedDomains() {
        return location.size();
    }

    /** Domains per owned shard. */
    Map<ShardId, Integer> snapshot() {
        Map<ShardId, Integer> owned = new TreeMap<>();
        shards.forEach((k, state) -> owned.put(k, state.assembly().domainCount()));
        return Map.copyOf(owned);
    }

    /** Whether an owned shard serves the Secret. */
    boolean serves(ObjectRef secret) {
        for (ShardState state : shards.values()) {
            if (state.assembly().usesSecret(secret)) return true;
        }
        return false;
    }

    /** The shards of a gateway's hosts (all of them, owned here or not). */
    SortedSet<Integer> shardsOf(String gateway, List<String> hosts) {
        SortedSet<Integer> out = new TreeSet<>();
        Integer count = gatewayShards.get(gateway);
        if (count == null) return out;
        for (String host : hosts) out.add(DomainSharding.shardOf(host, count));
        return out;
    }

    private SortedSet<ShardId> allShards() {
        SortedSet<ShardId> all = new TreeSet<>();
        gatewayShards.forEach((g, count) -> {
            for (int shard = 0; shard < count; shard++) all.add(new ShardId(g, shard));
        });
        return all;
    }
}
