package io.shardgate.bench.target;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.shardgate.node.store.ShardDirectory;
import io.shardgate.sharding.ShardId;
import io.shardgate.node.store.ShardStore;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The baseline's control loop, written the way java-control-plane's users write it: keep the translated
 * resources as protobuf messages and, after every change, build a whole new {@link Snapshot} for the node group
 * and hand it to {@link SimpleCache#setSnapshot}. Each type keeps its own version (bumped only when the type
 * changed), so a SotW client is re-sent only the types that changed, as a careful user would do.
 *
 * <p>The translated resources come from Shardgate's engine (the translation stage both targets share); only
 * what the engine changed is parsed into messages again. A group gets its first snapshot once its shard is
 * ready, so neither target ever serves a partial shard.
 *
 * <p>Threading: one thread, {@code baseline-snapshots} (its CPU time counts as the server's); store listeners
 * only wake it.
 */
final class SnapshotPublisher implements AutoCloseable {
    private static final Map<ResourceType, Parser<? extends Message>> PARSERS = Map.of(
            ResourceType.CLUSTER, Cluster.parser(),
            ResourceType.ENDPOINT, ClusterLoadAssignment.parser(),
            ResourceType.LISTENER, Listener.parser(),
            ResourceType.ROUTE, RouteConfiguration.parser(),
            ResourceType.SECRET, Secret.parser());

    private final ShardDirectory directory;
    private final SimpleCache<String> cache;
    private final Semaphore wake = new Semaphore(0);
    private final Map<ShardId, GroupState> groups = new HashMap<>();
    private final Set<ShardId> watched = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;
    private volatile long snapshots;

    SnapshotPublisher(ShardDirectory directory, SimpleCache<String> cache) {
        this.directory = directory;
        this.cache = cache;
        this.thread = new Thread(this::run, "baseline-snapshots");
        thread.setDaemon(true);
        thread.start();
    }

    static String group(String gateway, int shard) {
        return gateway + "/" + shard;
    }

    long snapshots() {
        return snapshots;
    }

    private void run() {
        while (!closed) {
            try {
                // New stores appear without a signal (the engine defines them); a change to one always wakes us.
                wake.tryAcquire(20, TimeUnit.MILLISECONDS);
                wake.drainPermits();
                for (Map.Entry<ShardId, ShardStore> e : directory.stores().entrySet()) {
                    if (watched.add(e.getKey())) e.getValue().onChange(wake::release);
                    if (e.getValue().isReady()) publish(e.getKey(), e.getValue());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                e.printStackTrace();
            }
        }
    }

    private void publish(ShardId key, ShardStore store) {
        GroupState state = groups.computeIfAbsent(key, k -> new GroupState());
        long to = store.sequence();
        if (to == state.sequence) return;
        for (ResourceType type : ResourceType.values()) {
            Map<String, Message> messages = state.messages.get(type);
            boolean[] changed = {false};
            boolean logged = state.sequence > 0 && store.changesSince(type, state.sequence, to, name -> {
                changed[0] = true;
                XdsResource r = store.get(type, name);
                if (r == null) messages.remove(name);
                else messages.put(name, parse(type, r));
            });
            if (!logged) {
                messages.clear();
                for (XdsResource r : store.all(type)) messages.put(r.name(), parse(type, r));
                changed[0] = true;
            }
            if (changed[0]) state.versions.merge(type, 1L, Long::sum);
        }
        state.sequence = to;
        cache.setSnapshot(group(key.gateway(), key.shard()), state.snapshot());
        snapshots++;
    }

    static Message parse(ResourceType type, XdsResource r) {
        try {
            return PARSERS.get(type).parseFrom(r.body());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot parse " + r, e);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One node group's resources as messages, by type and name, and its per-type versions. */
    private static final class GroupState {
        final Map<ResourceType, Map<String, Message>> messages = new EnumMap<>(ResourceType.class);
        final Map<ResourceType, Long> versions = new EnumMap<>(ResourceType.class);
        long sequence;

        GroupState() {
            for (ResourceType t : ResourceType.values()) {
                messages.put(t, new HashMap<>());
                versions.put(t, 0L);
            }
        }

        @SuppressWarnings("unchecked")
        Snapshot snapshot() {
            return Snapshot.create(
                    (Iterable<Cluster>) values(ResourceType.CLUSTER), version(ResourceType.CLUSTER),
                    (Iterable<ClusterLoadAssignment>) values(ResourceType.ENDPOINT), version(ResourceType.ENDPOINT),
                    (Iterable<Listener>) values(ResourceType.LISTENER), version(ResourceType.LISTENER),
                    (Iterable<RouteConfiguration>) values(ResourceType.ROUTE), version(ResourceType.ROUTE),
                    (Iterable<Secret>) values(ResourceType.SECRET), version(ResourceType.SECRET));
        }

        @SuppressWarnings("rawtypes")
        private Iterable values(ResourceType type) {
            return List.copyOf(messages.get(type).values());
        }

        private String version(ResourceType type) {
            return type.name().toLowerCase(java.util.Locale.ROOT) + "-" + versions.get(type);
        }
    }
}
