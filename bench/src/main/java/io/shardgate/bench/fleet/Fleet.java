package io.shardgate.bench.fleet;

import io.shardgate.sharding.ShardId;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.ReceivedResource;
import io.shardgate.xdsclient.RemovedResource;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsClientOptions;
import io.shardgate.xdsclient.XdsState;
import io.shardgate.xdsclient.XdsType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A simulated Envoy fleet: {@code size} {@link XdsClient}s (Envoy-like: they follow LDS to RDS and SDS, CDS to EDS,
 * ACK every version and NACK what their rule rejects), spread round-robin over the gateway's shards and over the
 * given ADS ports, SotW and Delta mixed. Every new resource version a client receives, and every removal, goes to
 * {@link Events}.
 */
public final class Fleet implements AutoCloseable {

    /** Where a simulated Envoy sits: its index, its shard, its protocol. */
    public record Seat(int index, ShardId shard, Mode mode) {}

    /** One simulated Envoy. */
    public record Member(Seat seat, XdsClient client) {
        public int index() {
            return seat.index();
        }

        public ShardId shard() {
            return seat.shard();
        }

        public Mode mode() {
            return seat.mode();
        }
    }

    /** What a fleet's clients receive, on their gRPC threads with the client's lock held: must be quick. */
    public interface Events {
        void arrived(Seat seat, ReceivedResource resource);

        default void removed(Seat seat, RemovedResource removal) {}
    }

    private static final String HTTPS_SCOPE = "https/";
    private final List<Member> members;

    private Fleet(List<Member> members) {
        this.members = members;
    }

    /**
     * The seats of a fleet of {@code size}: round-robin over the gateway's shards, Delta for a {@code deltaShare} of them,
     * interleaved (the same plan wherever the fleet runs, so a harness knows it without asking).
     */
    public static List<Seat> seats(String gateway, int shards, int size, double deltaShare) {
        List<Seat> seats = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Mode mode = Math.floor((i + 1) * deltaShare) > Math.floor(i * deltaShare) ? Mode.DELTA : Mode.SOTW;
            seats.add(new Seat(i, new ShardId(gateway, i % shards), mode));
        }
        return seats;
    }

    /**
     * @param deltaShare fraction of clients speaking Delta (the others SotW), interleaved
     * @param nodeOnEveryRequest whether requests after a stream's first carry the node too
     * @param tls the client certificate every client presents (null: plaintext)
     * @param handshakeEveryHost each client fetches the certificate of every HTTPS scope it is given ({@code https/<host>}),
     *     as an Envoy of the scoped layout does on each host's first handshake
     */
    public static Fleet connect(String host, List<Integer> ports, String gateway, int shards, int size, double deltaShare,
            boolean nodeOnEveryRequest, XdsClientOptions.ClientTls tls, boolean handshakeEveryHost, Events events) {
        List<Member> members = new ArrayList<>();
        for (Seat seat : seats(gateway, shards, size, deltaShare)) {
            AtomicReference<XdsClient> self = new AtomicReference<>();
            XdsClientOptions options = XdsClientOptions.of(host, ports.get(seat.index() % ports.size()), seat.mode(),
                            "envoy-" + seat.index(), gateway, seat.shard().shard())
                    .withNodeOnEveryRequest(nodeOnEveryRequest)
                    .withTls(tls)
                    .withOnArrival(r -> {
                        if (handshakeEveryHost && r.type() == XdsType.SCOPED_ROUTE && r.name().startsWith(HTTPS_SCOPE)) {
                            self.get().handshake(r.name().substring(HTTPS_SCOPE.length()));
                        }
                        events.arrived(seat, r);
                    })
                    .withOnRemoval(r -> events.removed(seat, r));
            XdsClient client = XdsClient.connect(options);
            self.set(client);
            members.add(new Member(seat, client));
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
     * Waits until every client holds exactly what its shard serves ({@link HeldDigest}: every type, every name, the
     * same bytes); returns the latest arrival time of any resource any client holds (when the fleet was fully served).
     */
    public long awaitServed(Map<ShardId, HeldDigest> truth, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long servedAt = 0;
        for (Member m : members) {
            HeldDigest expected = truth.get(m.shard());
            if (expected == null) throw new IllegalStateException("nothing served for " + m.shard());
            long[] latest = {-1};
            boolean ok = m.client().awaitState(state -> {
                latest[0] = expected.matches(state) ? latestArrival(state) : -1;
                return latest[0] >= 0;
            }, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (!ok) {
                String[] held = {""};
                m.client().awaitState(state -> {
                    held[0] = HeldDigest.describe(state);
                    return true;
                }, Duration.ofSeconds(5));
                throw new IllegalStateException("client " + m.index() + " (" + m.mode() + ") not served in time: it holds "
                        + held[0] + "; its shard serves " + expected);
            }
            servedAt = Math.max(servedAt, latest[0]);
        }
        return servedAt;
    }

    private static long latestArrival(XdsState state) {
        long latest = 0;
        for (XdsType type : XdsType.values()) {
            for (ReceivedResource r : state.resources(type).values()) latest = Math.max(latest, r.arrivalNanos());
        }
        return latest;
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
