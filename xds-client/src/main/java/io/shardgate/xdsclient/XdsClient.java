package io.shardgate.xdsclient;

import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * An xDS client that behaves like Envoy over ADS, SotW or Delta: subscribes to LDS and CDS as wildcards,
 * follows their references (route configurations and secrets of listeners, EDS services and secrets of
 * clusters) by subscribing to RDS, EDS and SDS by name, ACKs every response, and keeps the resources it
 * holds. Like Envoy, it applies the valid resources of a response and NACKs the response if any is rejected,
 * keeping its previous version of those; which ones it rejects is up to the test ({@link #rejectWhen}).
 *
 * <p>For tests and benchmarks: {@link #awaitState} waits for a condition without sleeping, every response is
 * logged ({@link #responses()}), every new resource version's arrival time is recorded, reading can be paused
 * to play a slow Envoy, and {@link #reconnect()} opens a new stream that tells a Delta server what the client
 * already holds.
 *
 * <p>Threading: gRPC delivers a stream's responses one at a time on its executor; every state change and
 * every request sent happens under one lock, which {@link #awaitState} conditions also read under.
 */
public final class XdsClient implements AutoCloseable {
    private static final Predicate<ReceivedResource> ACCEPT_ALL = r -> false;
    private static final String WILDCARD = "*";
    private static final String HANDSHAKE = "handshake/";
    /** The types resources reference; SRDS by the connection managers that use it (held by name, subscribed whole). */
    static final List<XdsType> REFERENCED = List.of(XdsType.ENDPOINT, XdsType.SCOPED_ROUTE, XdsType.ROUTE, XdsType.SECRET);

    private final XdsClientOptions options;
    /** Replaced by {@link #reconnectTo}; read and replaced under the lock. */
    private ManagedChannel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    private final Map<XdsType, Map<String, ReceivedResource>> held = new EnumMap<>(XdsType.class);
    private final Map<XdsType, ReferenceIndex> references = new EnumMap<>(XdsType.class);
    private final References referencesOf = new References();
    private final Map<XdsType, String> acceptedVersion = new EnumMap<>(XdsType.class);
    private final Deque<ReceivedResponse> responses = new ArrayDeque<>();
    private final XdsState view = new View();
    private long acks;
    private long nacks;

    private volatile Predicate<ReceivedResource> rejectRule = ACCEPT_ALL;
    private AdsCall<?, ?> call;
    private boolean paused;
    private Update withheld;
    private boolean closed;

    private XdsClient(XdsClientOptions options) {
        this.options = options;
        this.channel = channel(options.host(), options.port(), options);
        for (XdsType type : XdsType.values()) held.put(type, new HashMap<>());
        for (XdsType type : REFERENCED) references.put(type, new ReferenceIndex());
    }

    private static ManagedChannel channel(String host, int port, XdsClientOptions options) {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(host, port)
                .maxInboundMessageSize(options.maxInboundMessageBytes());
        if (options.tls() == null) return builder.usePlaintext().build();
        if (options.tls().serverName() != null) builder.overrideAuthority(options.tls().serverName());
        return builder.sslContext(ClientTlsContexts.of(options.tls())).build();
    }

    /** Connects and subscribes to CDS and LDS; returns at once (use {@link #awaitState} to wait for config). */
    public static XdsClient connect(XdsClientOptions options) {
        XdsClient client = new XdsClient(options);
        client.openStream();
        return client;
    }

    public Mode mode() {
        return options.mode();
    }

    /** From now on, rejects (NACKs) every arriving resource the rule matches; null accepts everything. */
    public void rejectWhen(Predicate<ReceivedResource> rule) {
        rejectRule = rule == null ? ACCEPT_ALL : rule;
    }

    /** Waits until {@code condition} holds; false if it did not within {@code timeout}. */
    public boolean awaitState(Predicate<XdsState> condition, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (!condition.test(view)) {
                if (remaining <= 0) return false;
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A TLS handshake whose certificate comes from an on-demand selector: subscribes to the Secret named by the SNI, as
     * Envoy does on a host's first handshake (the handshake waits for it; a server that does not have it says so with
     * a Delta removal). A removal fails the handshake and ends the subscription, as Envoy's selector does, so names
     * the server does not have do not pile up; a certificate that arrives stays subscribed.
     */
    public void handshake(String sni) {
        lock.lock();
        try {
            handshakes(call, sni, Set.of(sni));
        } finally {
            lock.unlock();
        }
    }

    private void handshakes(AdsCall<?, ?> on, String sni, Set<String> names) {
        Set<String> added = new HashSet<>();
        Set<String> removed = new HashSet<>();
        references.get(XdsType.SECRET).set(HANDSHAKE + sni, names, added, removed);
        if (!added.isEmpty() || !removed.isEmpty()) on.resubscribe(XdsType.SECRET, subscriptionOf(XdsType.SECRET), added, removed);
    }

    /** A copy of the resources held of a type. */
    public Map<String, ReceivedResource> resources(XdsType type) {
        return read(() -> Map.copyOf(held.get(type)));
    }

    public ReceivedResource resource(XdsType type, String name) {
        return read(() -> held.get(type).get(name));
    }

    /** A copy of the latest responses, oldest first. */
    public List<ReceivedResponse> responses() {
        return read(() -> List.copyOf(responses));
    }

    /** A one-line account of what the client holds and saw, for test failure messages. */
    public String describe() {
        return read(() -> {
            StringBuilder out = new StringBuilder(options.mode().toString());
            for (XdsType type : XdsType.values()) {
                out.append(' ').append(type).append('=').append(new TreeSet<>(held.get(type).keySet()));
            }
            return out.append(" acks=").append(acks).append(" nacks=").append(nacks)
                    .append(" last responses=").append(responses.stream().skip(Math.max(0, responses.size() - 5)).toList())
                    .toString();
        });
    }

    /**
     * Stops reading responses: the next response that arrives is held unhandled and unacknowledged, and none
     * after it is read, so the server sees a client that does not read (HTTP/2 flow control fills up). Wait for
     * {@link XdsState#unreadResponses()} to be 1 to know the client has come to a full stop.
     */
    public void pauseReading() {
        lock.lock();
        try {
            paused = true;
        } finally {
            lock.unlock();
        }
    }

    public void resumeReading() {
        lock.lock();
        try {
            paused = false;
            if (withheld != null) {
                Update update = withheld;
                withheld = null;
                handle(call, update);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the current stream and opens a new one, keeping what the client holds: a Delta client sends it as
     * initial_resource_versions, a SotW client its last accepted versions and subscriptions.
     */
    public void reconnect() {
        lock.lock();
        try {
            AdsCall<?, ?> old = call;
            withheld = null;
            openStream();
            old.cancel();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the current stream and opens a new one on another server, keeping what the client holds, as an Envoy whose
     * ADS cluster has several hosts reconnects to whichever its load balancer picks: a Delta client sends what it
     * holds as initial_resource_versions, so the new server sends only what changed.
     */
    public void reconnectTo(String host, int port) {
        ManagedChannel old;
        lock.lock();
        try {
            if (closed) return;
            AdsCall<?, ?> oldCall = call;
            old = channel;
            channel = channel(host, port, options);
            withheld = null;
            openStream();
            oldCall.cancel();
        } finally {
            lock.unlock();
        }
        old.shutdownNow();
    }

    /** Completes with the current stream's final status (for instance the server refusing the node). */
    public CompletableFuture<Status> terminated() {
        return read(() -> call.ended());
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            call.cancel();
        } finally {
            lock.unlock();
        }
        ManagedChannel last = read(() -> channel);
        last.shutdownNow();
        try {
            last.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the stream ----

    private void openStream() {
        lock.lock();
        try {
            AdsCall.Listener listener = new CallListener();
            var stub = AggregatedDiscoveryServiceGrpc.newStub(channel);
            if (options.mode() == Mode.SOTW) {
                SotwCall sotw = new SotwCall(listener, options.node(), options.nodeOnEveryRequest());
                stub.streamAggregatedResources(sotw);
                call = sotw;
            } else {
                DeltaCall delta = new DeltaCall(listener, options.node(), options.nodeOnEveryRequest());
                stub.deltaAggregatedResources(delta);
                call = delta;
            }
            List<AdsCall.Resume> resumes = new ArrayList<>();
            for (XdsType type : XdsType.values()) {
                Map<String, String> versions = new HashMap<>();
                held.get(type).forEach((name, r) -> versions.put(name, r.version()));
                resumes.add(new AdsCall.Resume(type, isSubscribed(type), subscriptionOf(type), versions,
                        acceptedVersion.getOrDefault(type, "")));
            }
            call.open(resumes);
        } finally {
            lock.unlock();
        }
    }

    private final class CallListener implements AdsCall.Listener {
        @Override
        public void onUpdate(AdsCall<?, ?> from, Update update) {
            lock.lock();
            try {
                if (from != call || closed) return;
                if (paused) {
                    withheld = update;
                    changed.signalAll();
                    return;
                }
                handle(from, update);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onEnd(AdsCall<?, ?> from, Status status) {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Applies a response, answers it, follows changed references, then reads the next. Lock held. */
    private void handle(AdsCall<?, ?> from, Update update) {
        long now = System.nanoTime();
        XdsType type = update.type();
        Map<String, ReceivedResource> have = held.get(type);
        Predicate<ReceivedResource> rule = rejectRule;
        List<String> rejected = new ArrayList<>();
        Set<String> present = new HashSet<>();
        List<ReceivedResource> arrived = new ArrayList<>();
        List<String> gone = new ArrayList<>();

        for (Update.Incoming incoming : update.resources()) {
            if (!type.isWildcard() && !subscriptionOf(type).contains(incoming.name())) continue;
            present.add(incoming.name());
            ReceivedResource resource = new ReceivedResource(type, incoming.name(), incoming.version(), incoming.body(), now,
                    update.nonce());
            if (rule.test(resource)) {
                rejected.add(incoming.name());
                continue;
            }
            ReceivedResource previous = have.get(incoming.name());
            // SotW has no per-resource versions: the same bytes again are the same version
            boolean same = previous != null && previous.body().equals(resource.body())
                    && (options.mode() == Mode.SOTW || previous.version().equals(resource.version()));
            if (!same) arrived.add(resource);
        }
        List<String> removals = update.fullState()
                ? have.keySet().stream().filter(name -> !present.contains(name)).toList()
                : update.removed();
        for (ReceivedResource resource : arrived) {
            have.put(resource.name(), resource);
            options.onArrival().accept(resource);
        }
        for (String name : removals) {
            if (have.remove(name) != null) {
                gone.add(name);
                options.onRemoval().accept(new RemovedResource(type, name, now));
            }
        }

        Set<String> names = subscriptionOf(type);
        if (rejected.isEmpty()) {
            acks++;
            acceptedVersion.put(type, update.version());
            from.acknowledge(update, names);
        } else {
            nacks++;
            from.reject(update, names, errorMessage(type, rejected));
        }
        log(update, !rejected.isEmpty(), now);
        if (type.isWildcard()) followReferences(from, type, arrived, gone);
        if (type == XdsType.SECRET) {
            for (String name : update.removed()) handshakes(from, name, Set.of());
        }
        changed.signalAll();
        from.requestNext();
    }

    /** Subscribes to what new or changed resources reference and drops what nothing references any more. */
    private void followReferences(AdsCall<?, ?> from, XdsType ownerType, List<ReceivedResource> changedOwners,
            List<String> removedOwners) {
        Map<XdsType, Set<String>> added = new EnumMap<>(XdsType.class);
        Map<XdsType, Set<String>> removed = new EnumMap<>(XdsType.class);
        for (XdsType type : REFERENCED) {
            added.put(type, new HashSet<>());
            removed.put(type, new HashSet<>());
        }
        for (ReceivedResource owner : changedOwners) {
            Map<XdsType, Set<String>> refs = referencesOf.of(owner);
            for (XdsType type : REFERENCED) {
                references.get(type).set(ownerType + "/" + owner.name(), refs.get(type), added.get(type), removed.get(type));
            }
        }
        for (String owner : removedOwners) {
            if (ownerType == XdsType.LISTENER) referencesOf.forgetListener(owner);
            for (XdsType type : REFERENCED) {
                references.get(type).set(ownerType + "/" + owner, Set.of(), added.get(type), removed.get(type));
            }
        }
        for (XdsType type : REFERENCED) {
            if (added.get(type).isEmpty() && removed.get(type).isEmpty()) continue;
            if (type == XdsType.SCOPED_ROUTE) {
                scopedRoutesUsed(from, added.get(type), removed.get(type));
                continue;
            }
            removed.get(type).forEach(held.get(type)::remove);
            from.resubscribe(type, subscriptionOf(type), added.get(type), removed.get(type));
        }
    }

    /**
     * A first connection manager with scoped routes subscribes to every scope; the last one going drops them, and
     * with them the route configurations only scopes named.
     */
    private void scopedRoutesUsed(AdsCall<?, ?> from, Set<String> added, Set<String> removed) {
        boolean now = isSubscribed(XdsType.SCOPED_ROUTE);
        if (now && references.get(XdsType.SCOPED_ROUTE).names().size() == added.size()) {
            from.resubscribe(XdsType.SCOPED_ROUTE, Set.of(), Set.of(WILDCARD), Set.of());
        } else if (!now && !removed.isEmpty()) {
            from.resubscribe(XdsType.SCOPED_ROUTE, Set.of(), Set.of(), Set.of(WILDCARD));
            List<String> scopes = List.copyOf(held.get(XdsType.SCOPED_ROUTE).keySet());
            held.get(XdsType.SCOPED_ROUTE).clear();
            followReferences(from, XdsType.SCOPED_ROUTE, List.of(), scopes);
        }
    }

    /** Whether the client wants the type: LDS and CDS always, SRDS while a listener uses it, others while named. */
    private boolean isSubscribed(XdsType type) {
        if (type.isSubscribedFromStart()) return true;
        return !references.get(type).names().isEmpty();
    }

    /** The names subscribed to; empty for the wildcard types (the wildcard). */
    private Set<String> subscriptionOf(XdsType type) {
        return type.isWildcard() ? Set.of() : Collections.unmodifiableSet(references.get(type).names());
    }

    /** Envoy's wording, which names each rejected resource as "name: reason". */
    private static String errorMessage(XdsType type, List<String> rejected) {
        StringBuilder message = new StringBuilder("Error adding/updating ").append(type.noun()).append("(s) ");
        for (String name : rejected) message.append(name).append(": rejected by the client's NACK rule\n");
        return message.toString();
    }

    private void log(Update update, boolean nacked, long now) {
        List<String> names = update.resources().stream().map(Update.Incoming::name).toList();
        responses.addLast(new ReceivedResponse(update.type(), update.nonce(), update.version(), names, update.removed(),
                nacked, now));
        while (responses.size() > options.responseLogLimit()) responses.removeFirst();
    }

    private <T> T read(Supplier<T> reader) {
        lock.lock();
        try {
            return reader.get();
        } finally {
            lock.unlock();
        }
    }

    private final class View implements XdsState {
        @Override
        public Map<String, ReceivedResource> resources(XdsType type) {
            return Collections.unmodifiableMap(held.get(type));
        }

        @Override
        public Set<String> subscriptions(XdsType type) {
            return subscriptionOf(type);
        }

        @Override
        public List<ReceivedResponse> responses() {
            return Collections.unmodifiableList(new ArrayList<>(responses));
        }

        @Override
        public int unreadResponses() {
            return withheld == null ? 0 : 1;
        }

        @Override
        public long acksSent() {
            return acks;
        }

        @Override
        public long nacksSent() {
            return nacks;
        }
    }
}
