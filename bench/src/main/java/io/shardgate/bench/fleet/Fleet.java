package io.shardgate.bench.fleet;

import io.shardgate.bench.target.ServedBytes;
import io.shardgate.sharding.ShardId;
import io.shardgate.node.store.ShardStore;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.ReceivedResource;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsClientOptions;
import io.shardgate.xdsclient.XdsState;
import io.shardgate.xdsclient.XdsType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A simulated Envoy fleet: {@code size} {@link XdsClient}s (Envoy-like: they follow LDS to RDS and SDS, CDS to EDS,
 * ACK every version and NACK what their rule rejects), spread round-robin over the gateway's shards and over the
 * given ADS ports, SotW and Delta mixed. Every new resource version a client receives goes to {@code arrivals}.
 */
public final class Fleet implements AutoCloseable {

    /** One simulated Envoy. */
    public record Member(int index, ShardId shard, Mode mode, XdsClient client) {}

    private static final String HTTPS_SCOPE = "https/";
    private final List<Member> members;

    private Fleet(List<Member> members) {
        this.members = members;
    }

    /**
     * @param deltaShare fraction of clients speaking Delta (the others SotW), interleaved
     * @param nodeOnEveryRequest whether requests after a stream's first carry the node too
     * @param tls the client certificate every client presents (null: plaintext)
     * @param handshakeEveryHost each client fetches the certificate of every HTTPS scope it is given ({@code https/<host>}),
     *     as an Envoy of the scoped layout does on each host's first handshake
     */
    public static Fleet connect(String host, List<Integer> ports, String gateway, int shards, int size, double deltaShare,
            boolean nodeOnEveryRequest, XdsClientOptions.ClientTls tls, boolean handshakeEveryHost, Consumer<Arrival> arrivals) {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int index = i;
            ShardId shard = new ShardId(gateway, i % shards);
            Mode mode = Math.floor((i + 1) * deltaShare) > Math.floor(i * deltaShare) ? Mode.DELTA : Mode.SOTW;
            AtomicReference<XdsClient> self = new AtomicReference<>();
            XdsClientOptions options = XdsClientOptions.of(host, ports.get(i % ports.size()), mode, "envoy-" + i, gateway, shard.shard())
                    .withNodeOnEveryRequest(nodeOnEveryRequest)
                    .withTls(tls)
                    .withOnArrival(r -> {
                        if (handshakeEveryHost && r.type() == XdsType.SCOPED_ROUTE && r.name().startsWith(HTTPS_SCOPE)) {
                            self.get().handshake(r.name().substring(HTTPS_SCOPE.length()));
                        }
                        arrivals.accept(new Arrival(index, shard, resourceType(r.type()), r.name(), r.body(), r.arrivalNanos()));
                    });
            XdsClient client = XdsClient.connect(options);
            self.set(client);
            members.add(new Member(i, shard, mode, client));
        }
        return new Fleet(members);
    }

    public List<Member> members() {
        return members;
    }

    public int size() {
        return members.size();
    }

    public long deltaClients() {
        return members.stream().filter(m -> m.mode() == Mode.DELTA).count();
    }

    /**
     * Waits until every client holds exactly what its shard's store holds (every type, every name, the same bytes);
     * returns the latest arrival time of any resource any client holds (when the fleet was fully served).
     */
    public long awaitServed(Function<ShardId, ShardStore> truth, ServedBytes served, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long servedAt = 0;
        for (Member m : members) {
            ShardStore store = truth.apply(m.shard());
            if (store == null) throw new IllegalStateException("no store for " + m.shard());
            long[] latest = {-1};
            boolean ok = m.client().awaitState(state -> {
                latest[0] = identical(state, store, served);
                return latest[0] >= 0;
            }, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (!ok) {
                String[] why = {""};
                m.client().awaitState(state -> {
                    why[0] = mismatch(state, store, served);
                    return true;
                }, Duration.ofSeconds(5));
                throw new IllegalStateException("client " + m.index() + " (" + m.mode() + ") not served in time: " + why[0]);
            }
            servedAt = Math.max(servedAt, latest[0]);
        }
        return servedAt;
    }

    /** The latest arrival if the client holds exactly the store's resources, else -1 (sizes are compared first: cheap). */
    private static long identical(XdsState state, ShardStore store, ServedBytes served) {
        for (ResourceType type : ResourceType.values()) {
            if (state.resources(xdsType(type)).size() != store.size(type)) return -1;
        }
        long latest = 0;
        for (ResourceType type : ResourceType.values()) {
            for (ReceivedResource r : state.resources(xdsType(type)).values()) {
                XdsResource truth = store.get(type, r.name());
                if (truth == null || truth.body().size() != r.body().size() || !served.of(truth).equals(r.body())) return -1;
                latest = Math.max(latest, r.arrivalNanos());
            }
        }
        return latest;
    }

    /** The first difference between what the client holds and its store, for failure messages. */
    private static String mismatch(XdsState state, ShardStore store, ServedBytes served) {
        for (ResourceType type : ResourceType.values()) {
            Map<String, ReceivedResource> held = state.resources(xdsType(type));
            if (held.size() != store.size(type)) return type + ": holds " + held.size() + ", store has " + store.size(type);
            for (ReceivedResource r : held.values()) {
                XdsResource truth = store.get(type, r.name());
                if (truth == null) return type + " " + r.name() + ": not in the store";
                if (!served.of(truth).equals(r.body())) {
                    return type + " " + r.name() + ": " + r.body().size() + " bytes held, " + truth.body().size() + " in the store";
                }
            }
        }
        return "none";
    }

    public static XdsType xdsType(ResourceType type) {
        return XdsType.ofTypeUrl(type.typeUrl());
    }

    public static ResourceType resourceType(XdsType type) {
        for (ResourceType t : ResourceType.values()) {
            if (t.typeUrl().equals(type.typeUrl())) return t;
        }
        throw new IllegalArgumentException("unknown type " + type);
    }

    /** NACKs sent by the whole fleet (a healthy run has none). */
    public long nacks() {
        long n = 0;
        for (Member m : members) {
            long[] count = new long[1];
            try {
                m.client().awaitState(s -> {
                    count[0] = s.nacksSent();
                    return true;
                }, Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            n += count[0];
        }
        return n;
    }

    @Override
    public void close() {
        members.parallelStream().forEach(m -> m.client().close());
    }
}
