package io.shardgate.node.ads;

import com.google.protobuf.Message;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.shardgate.node.store.ShardStore;
import io.shardgate.translator.resource.ContentHash;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.StatusException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ADS stream, that is one Envoy: admission, the per-type {@link TypeSubscription}s and the push loop. The
 * SotW and Delta subclasses only read their request messages and build their response messages.
 *
 * <h2>Threading</h2>
 * Everything here runs on the stream's Vert.x context (the event loop of the client's HTTP/2 connection):
 * request handling, passes, the drain callback. Two signals come from other threads and only schedule a pass
 * with {@code runOnContext}: the store's change signal (on the shard's writer thread) and the store becoming
 * ready. Scheduling is coalesced: while a pass is scheduled and not yet started, further signals do nothing,
 * so a burst of store batches costs a few passes, each looking at the store's latest state. The only state
 * read from other threads is the published {@link ClientSnapshot}.
 *
 * <h2>Flow control</h2>
 * A pass walks the types in apply order (CDS, EDS, LDS, RDS, SDS). A type whose last response awaits its ACK
 * is skipped: one response in flight per type, and changes meanwhile collapse into the next one (pull-based).
 * A client that does not read ends the pass: while more than {@link #MAX_UNWRITTEN_BYTES} written are held
 * back by HTTP/2 flow control (or the write queue is full), nothing new is produced; the completion of the
 * pending writes (or the drain handler) schedules the next pass. So a stream never buffers more than one
 * response per type, however fast the store changes and however slowly the client reads, and a client that
 * catches up gets the latest state, not the history.
 */
abstract class AdsStream<Req extends Message, Resp extends Message> implements AdsServer.ServedStream {
    /**
     * The client's requests after the first that a relay took before the owner answered, and handed back: served here
     * once admitted (or relayed again), in order, before any request read since.
     */
    private final java.util.ArrayDeque<Req> handedBack = new java.util.ArrayDeque<>();
    private static final Logger LOG = LoggerFactory.getLogger(AdsStream.class);
    /**
     * Past this many bytes not yet on the wire, a stream stops producing until its writes complete. Vert.x's
     * own writeQueueFull() counts queued messages (16), not bytes, so it is checked too but rarely trips.
     */
    static final long MAX_UNWRITTEN_BYTES = 256 * 1024;
    /** How soon a stream whose shard's owner could not be reached tries it again when the table does not change. */
    static final Duration RELAY_RETRY = Duration.ofMillis(500);
    private static final List<String> SERVED_TYPE_URLS =
            Arrays.stream(ResourceType.values()).map(ResourceType::typeUrl).toList();

    /** What a stream needs from its server. */
    record Collaborators(ShardResolver shards, ShardRouter router, GrpcClient upstream,
            AdsMetrics metrics, NackListener nacks, StreamRegistry registry, ClientLimits limits,
            ClientAuthority authority) {
        Collaborators with(ClientLimits limits, ClientAuthority authority, GrpcClient upstream) {
            return new Collaborators(shards, router, upstream, metrics, nacks, registry, limits, authority);
        }
    }

    /** Where admitted streams (served here or relayed) are listed for {@link AdsServer#clients()} and moves. */
    interface StreamRegistry {
        void add(AdsServer.ServedStream stream);

        void remove(AdsServer.ServedStream stream);
    }

    private final GrpcServerRequest<Req, Resp> call;
    private final Context context;
    private final Collaborators with;
    private final Protocol protocol;
    private final StreamLimits.Permit permit;
    private final NackLog nackLog;
    private final ResponseWriter writer;
    private final Map<ResourceType, TypeSubscription> subscriptions = new EnumMap<>(ResourceType.class);
    private final AtomicBoolean passScheduled = new AtomicBoolean();
    private final Instant connectedAt = Instant.now();

    private ClientIdentity client;
    private ShardStore store;
    private Runnable stopListening = () -> {};
    /** Stops waiting for the shard to be placed (see {@link #parkUntilPlaced}); a no-op when not waiting. */
    private Runnable unpark = () -> {};
    private long parkedSince;
    private boolean admitted;
    private boolean closed;
    private long lastNonce;
    private volatile long scheduledAtNanos;
    /** Bytes written to the stream that HTTP/2 flow control has not let onto the wire yet. */
    private long unwrittenBytes;
    private boolean waitingForWrites;
    /** When the client last had no bytes held back by flow control (the stall clock of a client not reading). */
    private long readingAtNanos = System.nanoTime();
    private int unacknowledged;
    private int maxUnacknowledged;
    private long backpressurePauses;
    private volatile ClientSnapshot snapshot;

    AdsStream(GrpcServerRequest<Req, Resp> call, Collaborators with, Protocol protocol, StreamLimits.Permit permit) {
        this.call = call;
        this.context = Vertx.currentContext();
        this.with = with;
        this.protocol = protocol;
        this.permit = permit;
        this.nackLog = new NackLog(with.limits().nackLogInterval(), System::nanoTime);
        this.writer = ResponseWriter.of(call);
    }

    // ---- what the protocols differ in ----

    abstract Node nodeOf(Req request);

    abstract String typeUrlOf(Req request);

    abstract String responseNonceOf(Req request);

    /** The request's error_detail, or null if the request is not a NACK. */
    abstract Status errorOf(Req request);

    abstract ResponseStyle styleFor(ResourceType type);

    /**
     * Applies the request to the subscription.
     *
     * @throws StatusException RESOURCE_EXHAUSTED when the subscription would name more than {@code maxNames}
     */
    abstract void updateSubscription(TypeSubscription subscription, Req request, int maxNames);

    /** The response's bytes, sharing the resources' cached bodies. */
    abstract ResponseFrame frame(TypeSubscription subscription, ChangeSet changes, String nonce, String version);

    /** @throws StatusException RESOURCE_EXHAUSTED when {@code names} is more than a subscription may hold */
    static void checkNames(int names, int maxNames) {
        if (names > maxNames) {
            throw new StatusException(GrpcStatus.RESOURCE_EXHAUSTED, "a subscription may name at most " + maxNames
                    + " resources of one type; this request makes it " + names);
        }
    }

    // ---- lifecycle ----

    final void start() {
        call.handler(this::onRequest);
        call.endHandler(v -> {
            if (!closed) call.response().end();
            close();
        });
        call.errorHandler(error -> close());
        call.exceptionHandler(e -> close());
        call.response().exceptionHandler(e -> close());
        call.response().drainHandler(v -> {
            waitingForWrites = false;
            schedulePass();
        });
    }

    /**
     * Admits the stream on its first request: serves it here when this node owns the client's shard, hands it
     * to a {@link Relay} when another node does (unless it already is a relayed stream: never two hops), and
     * refuses it with UNAVAILABLE while the shard is not placed. False when this stream serves nothing more.
     */
    private boolean admit(Req request) {
        Node node = nodeOf(request);
        ShardStore resolved;
        try {
            client = ClientIdentity.of(node);
            Set<String> identities = with.authority().authorise(call, client);
            resolved = with.shards().resolve(client, protocol);
            ShardRouter.Route route = with.router().route(client.shardId());
            String relayedBy = call.headers().get(Relay.RELAYED_BY_HEADER);
            boolean unsettled = route instanceof ShardRouter.Unplaced || (route instanceof ShardRouter.Remote && relayedBy != null)
                    || (route instanceof ShardRouter.Local && with.router().catchingUp(client.shardId()));
            if (with.router().servesNothing()) {
                throw new StatusException(GrpcStatus.UNAVAILABLE, "this node was paused and is catching up; it serves"
                        + " nothing until then: connect to another node");
            }
            if (unsettled && parkUntilPlaced(request)) return false;
            if (parkedSince != 0) {
                LOG.info("Node '{}' waited {} ms for shard {} to be placed, or caught up on by its new owner", client.nodeId(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - parkedSince), client.shardId());
            }
            if (route instanceof ShardRouter.Unplaced) { // a shard being caught up on is served once the wait ends
                throw new StatusException(GrpcStatus.UNAVAILABLE, "shard " + client.shardId()
                        + " has no owner yet (the cluster is still placing shards); retry");
            }
            if (route instanceof ShardRouter.Remote remote) {
                if (relayedBy != null) {
                    throw new StatusException(GrpcStatus.UNAVAILABLE, "node " + relayedBy + " relayed shard "
                            + client.shardId() + " here but this node sees node " + remote.memberId()
                            + " as its owner; reconnect");
                }
                closed = true;
                List<Req> later = List.copyOf(handedBack);
                handedBack.clear();
                new Relay(call, context, client, identities, protocol, remote, with, permit, writer,
                        (cause, requests) -> ownerUnreachable(remote, request, cause, requests)).start(request, later);
                return false;
            }
        } catch (StatusException refused) {
            LOG.info("Refusing {} ADS stream from node '{}': {}", protocol,
                    ClientText.escape(node.getId(), ClientText.MAX_ECHO_CHARS), refused.message());
            with.metrics().refused(refused.status().name());
            closed = true;
            permit.release();
            call.response().status(refused.status()).statusMessage(refused.message()).end();
            return false;
        }
        store = resolved;
        admitted = true;
        publishSnapshot();
        with.metrics().connected(protocol, +1);
        with.registry().add(this);
        stopListening = store.onChange(this::schedulePass);
        if (!store.isReady()) {
            LOG.info("Node '{}' waits for shard {} to be ready", client.nodeId(), client.shardId());
            store.whenReady().thenRun(this::schedulePass);
        }
        return true;
    }

    /**
     * The relay could not open a stream on the shard's owner: it died a moment ago, most likely, and the table will
     * move the shard once its death is noticed. The stream takes itself back and waits for the table (relaying again
     * on its change, or after {@link #RELAY_RETRY} in case the owner is alive), within the placement wait; ending it
     * instead had the client reconnect, be relayed to the dead owner and be ended again, round after round.
     */
    @SuppressWarnings("unchecked") // the relay decodes the client's requests with the parser of this stream's first
    private void ownerUnreachable(ShardRouter.Remote owner, Req request, String cause, List<com.google.protobuf.Message> later) {
        closed = false;
        later.forEach(r -> handedBack.add((Req) r));
        start();
        if (!owner.equals(with.router().route(client.shardId()))) {
            call.resume(); // the relay paused it
            onRequest(request); // the table has moved the shard meanwhile: routed afresh at once
            return;
        }
        if (!parkUntilPlaced(request, RELAY_RETRY)) {
            LOG.info("Ending ADS stream of node '{}': its shard's owner {} stayed unreachable", client.nodeId(), owner.memberId());
            fail(GrpcStatus.UNAVAILABLE, "relay of shard " + client.shardId() + " to its owner " + owner.memberId()
                    + " at " + owner.adsAddress() + " failed (" + cause + "); reconnect");
        }
    }

    /**
     * A shard moving between nodes, or not placed yet, gets an owner within moments: the stream waits for the
     * table to change (its requests unread) rather than be refused, so Envoys do not retry in a storm. True while
     * it waits; false once {@link ClientLimits#placementWait()} has passed since it first waited.
     */
    private boolean parkUntilPlaced(Req request) {
        return parkUntilPlaced(request, with.limits().placementWait());
    }

    /** As {@link #parkUntilPlaced(Req)}, trying again after {@code retryAfter} at the latest. */
    private boolean parkUntilPlaced(Req request, Duration retryAfter) {
        long now = System.nanoTime();
        if (parkedSince == 0) parkedSince = now;
        long leftMillis = TimeUnit.NANOSECONDS.toMillis(with.limits().placementWait().toNanos() - (now - parkedSince));
        if (leftMillis <= 0) return false;
        leftMillis = Math.min(leftMillis, Math.max(1, retryAfter.toMillis()));
        call.pause();
        AtomicBoolean woken = new AtomicBoolean();
        Runnable[] stopListening = new Runnable[1];
        long[] timer = new long[1];
        Runnable stopWaiting = () -> {
            stopListening[0].run();
            context.owner().cancelTimer(timer[0]);
        };
        Runnable retry = () -> context.runOnContext(v -> {
            if (!woken.compareAndSet(false, true)) return;
            stopWaiting.run();
            unpark = () -> {};
            if (closed) return;
            call.resume();
            onRequest(request);
        });
        stopListening[0] = with.router().onChange(retry);
        timer[0] = context.owner().setTimer(leftMillis, id -> retry.run());
        unpark = () -> {
            if (woken.compareAndSet(false, true)) stopWaiting.run();
        };
        return true;
    }

    private void close() {
        if (closed) return;
        closed = true;
        unpark.run();
        permit.release();
        stopListening.run();
        if (admitted) {
            with.metrics().connected(protocol, -1);
            with.registry().remove(this);
        }
    }

    /** Any thread: ends the stream (UNAVAILABLE, so the client reconnects) if its shard left this node. */
    @Override
    public void routeChanged() {
        context.runOnContext(v -> {
            if (!closed && admitted) endUnlessServedHere();
        });
    }

    /**
     * Ends the stream if its shard is not served here now; true if it ended. Asked before every push too: after a
     * pause (SIGSTOP, a stalled VM) the event loops run before any notice of the route change arrives.
     */
    private boolean endUnlessServedHere() {
        ShardRouter.Route now = with.router().route(client.shardId());
        if (now instanceof ShardRouter.Local) return false;
        LOG.info("Ending ADS stream of node '{}': {}", client.nodeId(), movedMessage(client, now));
        fail(GrpcStatus.UNAVAILABLE, movedMessage(client, now));
        return true;
    }

    /** The status message of a stream ended because its shard now lives elsewhere. */
    static String movedMessage(ClientIdentity client, ShardRouter.Route now) {
        if (now instanceof ShardRouter.Remote remote) {
            return "shard " + client.shardId() + " moved to node " + remote.memberId() + "; reconnect";
        }
        if (now instanceof ShardRouter.Local) return "shard " + client.shardId() + " moved to this node; reconnect";
        return "shard " + client.shardId() + " has no owner right now; reconnect";
    }

    private void fail(GrpcStatus status, String message) {
        if (closed) return;
        close();
        try {
            call.response().status(status).statusMessage(message).end();
        } catch (IllegalStateException alreadyGone) {
            // the stream was reset meanwhile; nothing left to tell the client
        }
    }

    // ---- stalls ----

    @Override
    public void checkStall() {
        context.runOnContext(v -> {
            if (!closed && admitted) endIfStalled(System.nanoTime(), with.limits().stallTimeout().toNanos());
        });
    }

    /**
     * A client that reads nothing is reset (a status could not reach it: it would queue behind the unread bytes,
     * which the reset frees); one that reads but answers nothing is ended with DEADLINE_EXCEEDED.
     */
    private void endIfStalled(long now, long timeoutNanos) {
        if (unwrittenBytes > 0 && now - readingAtNanos > timeoutNanos) {
            LOG.info("Resetting ADS stream of node '{}': it has not read for {} s ({} bytes waiting)", client.nodeId(),
                    (now - readingAtNanos) / 1_000_000_000L, unwrittenBytes);
            with.metrics().refused("STALLED");
            close();
            call.response().cancel();
            return;
        }
        for (TypeSubscription subscription : subscriptions.values()) {
            if (subscription.awaitingAck() && now - subscription.awaitingSinceNanos() > timeoutNanos) {
                String message = "no ACK or NACK for the " + subscription.type() + " response sent "
                        + (now - subscription.awaitingSinceNanos()) / 1_000_000_000L + " s ago; reconnect";
                LOG.info("Ending ADS stream of node '{}': {}", client.nodeId(), message);
                with.metrics().refused(GrpcStatus.DEADLINE_EXCEEDED.name());
                fail(GrpcStatus.DEADLINE_EXCEEDED, message);
                return;
            }
        }
    }

    // ---- requests ----

    private void onRequest(Req request) {
        if (closed) return;
        try {
            if (store == null && !admit(request)) return;
            ResourceType type = ResourceType.ofTypeUrl(typeUrlOf(request));
            if (type == null) {
                throw new StatusException(GrpcStatus.INVALID_ARGUMENT, "type_url '"
                        + ClientText.escape(typeUrlOf(request), ClientText.MAX_ECHO_CHARS) + "' is not served; served: "
                        + SERVED_TYPE_URLS);
            }
            TypeSubscription subscription = subscriptions.computeIfAbsent(type, t -> new TypeSubscription(t, styleFor(t)));
            String nonce = responseNonceOf(request);
            if (!nonce.isEmpty() && subscription.isAwaiting(nonce)) settle(subscription, errorOf(request));
            updateSubscription(subscription, request, with.limits().maxNamesPerSubscription());
            schedulePass();
            publishSnapshot();
            Req handedBackNext = handedBack.poll();
            if (handedBackNext != null) onRequest(handedBackNext);
        } catch (StatusException refused) {
            LOG.info("Ending ADS stream of node '{}': {}", client.nodeId(), refused.message());
            with.metrics().refused(refused.status().name());
            fail(refused.status(), refused.message());
        } catch (RuntimeException e) {
            LOG.error("ADS stream of node '{}' failed on a request", client == null ? "?" : client.nodeId(), e);
            fail(GrpcStatus.INTERNAL, "control plane error: " + e);
        }
    }

    private void settle(TypeSubscription subscription, Status error) {
        unacknowledged--;
        ResourceType type = subscription.type();
        if (error == null) {
            with.metrics().acked(type, System.nanoTime() - subscription.acknowledge());
            return;
        }
        Map<String, String> rejected = subscription.reject(error.getMessage());
        String message = ClientText.escape(error.getMessage(), ClientText.MAX_ERROR_CHARS);
        long unlogged = nackLog.admit();
        if (unlogged >= 0) {
            LOG.warn("NACK from node '{}' (shard {}) for {}: rejected {}: {}{}", client.nodeId(), client.shardId(), type,
                    ClientText.escape(rejected.toString(), ClientText.MAX_ERROR_CHARS), message,
                    unlogged == 0 ? "" : " (" + unlogged + " more NACKs from this stream not logged)");
        }
        with.metrics().nacked(type, client.shardId());
        try {
            with.nacks().onNack(new Nack(client.nodeId(), client.shardId(), type, rejected, message));
        } catch (RuntimeException e) {
            LOG.error("NACK listener failed", e);
        }
    }

    // ---- pushing ----

    /** Any thread. Coalesced: at most one pass is scheduled at a time. */
    private void schedulePass() {
        if (passScheduled.compareAndSet(false, true)) {
            scheduledAtNanos = System.nanoTime();
            context.runOnContext(v -> pass());
        }
    }

    private void pass() {
        passScheduled.set(false);
        long wokenAt = scheduledAtNanos;
        if (closed || store == null || !store.isReady()) return;
        if (endUnlessServedHere()) return;
        try {
            long sequence = store.sequence();
            for (TypeSubscription subscription : subscriptions.values()) {
                subscription.noteWork(wokenAt);
                if (subscription.awaitingAck()) continue;
                if (unwrittenBytes > MAX_UNWRITTEN_BYTES || call.response().writeQueueFull()) {
                    if (!waitingForWrites) {
                        waitingForWrites = true;
                        backpressurePauses++;
                        with.metrics().backpressured();
                    }
                    break;
                }
                ChangeSet changes = subscription.collect(store, sequence);
                if (changes != null) send(subscription, changes);
                if (closed) return;
            }
            publishSnapshot();
        } catch (RuntimeException e) {
            LOG.error("ADS stream of node '{}' failed on a push", client.nodeId(), e);
            fail(GrpcStatus.INTERNAL, "control plane error: " + e);
        }
    }

    private void send(TypeSubscription subscription, ChangeSet changes) {
        // Unique per stream, and says when it was sent (epoch ms): chaos judges a version by when it left the node.
        String nonce = ++lastNonce + "." + System.currentTimeMillis();
        String version = ContentHash.hex(changes.setHashAfter());
        ResponseFrame frame = frame(subscription, changes, nonce, version);
        int bytes = frame.size();
        if (unwrittenBytes == 0) readingAtNanos = System.nanoTime();
        unwrittenBytes += bytes;
        try {
            writer.write(frame.bytes()).onComplete(written -> {
                unwrittenBytes -= bytes;
                readingAtNanos = System.nanoTime();
                if (written.failed()) {
                    close();
                } else if (waitingForWrites && unwrittenBytes <= MAX_UNWRITTEN_BYTES) {
                    waitingForWrites = false;
                    schedulePass();
                }
            });
        } catch (IllegalStateException streamGone) {
            close();
            return;
        }
        long now = System.nanoTime();
        with.metrics().pushed(subscription.type(), bytes, changes.updates().size(),
                now - subscription.workSinceNanos(now));
        subscription.sent(nonce, version, changes, now);
        unacknowledged++;
        maxUnacknowledged = Math.max(maxUnacknowledged, unacknowledged);
    }

    // ---- observing ----

    private void publishSnapshot() {
        Map<ResourceType, ClientSnapshot.TypeSnapshot> types = new EnumMap<>(ResourceType.class);
        subscriptions.forEach((type, subscription) -> types.put(type, subscription.snapshot()));
        snapshot = new ClientSnapshot(client.nodeId(), client.gateway(), client.shard(), protocol, connectedAt, types,
                unacknowledged, maxUnacknowledged, unwrittenBytes, backpressurePauses, null);
    }

    /** The last published state; null before admission completed. */
    @Override
    public ClientSnapshot snapshot() {
        return snapshot;
    }
}
