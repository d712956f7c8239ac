package io.shardgate.node.ads;

import com.google.protobuf.Message;
import io.shardgate.node.ads.ShardRouter.Remote;
import io.shardgate.node.ads.ShardRouter.Route;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ADS stream relayed to the node that owns its shard: the same method on the owner's ADS server, every
 * client request forwarded unchanged (the first one re-encoded from the message admission read, the others as
 * the raw gRPC messages they arrived as) and every owner response forwarded unchanged (raw). The relay holds
 * no xDS state: nonces, versions, ACKs and NACKs are the owner's business. Until the owner answers, it keeps the
 * client's requests it forwarded, so that a stream handed back loses none of them.
 *
 * <h2>Ending</h2>
 * The client's half-close ends the upstream request; the client going away cancels it. The owner ending its
 * stream ends the client's with the owner's status; the upstream stream failing once open (connection lost,
 * reset) ends the client's with UNAVAILABLE. A stream that cannot be opened on the owner at all (connection
 * refused: it died a moment ago, most likely) is handed back to its {@link AdsStream}, which waits for the
 * table. When the shard table moves the shard away from the owner relayed to (to another node or to this one),
 * the client's stream ends with UNAVAILABLE ("shard X moved to node Y; reconnect") and the upstream one is
 * cancelled: the client reconnects and is routed afresh (see {@link AdsServer}); unless the owner has answered
 * nothing yet, in which case the stream is handed back with the requests the owner took.
 *
 * <h2>Threading and flow control</h2>
 * Everything runs on the client stream's context (the event loop of its HTTP/2 connection); upstream callbacks
 * are moved onto it if Vert.x delivers them elsewhere. Only {@link #routeChanged()} is called from another
 * thread, and it only schedules a check. Each direction pauses the side it reads from while the other side's
 * write queue is full and resumes it on drain, so a slow reader on either end holds back its writer instead
 * of growing a buffer here.
 */
final class Relay implements AdsServer.ServedStream {
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
    /** Request header naming the node that relayed a stream; a relayed stream is never relayed again. */
    static final String RELAYED_BY_HEADER = "shardgate-relayed-by";
    /** Requests a client may send before the owner answers: a subscription per type, and a few more. */
    private static final int MAX_UNANSWERED = 64;

    private final GrpcServerRequest<?, ?> call;
    private final Context context;
    private final ClientIdentity client;
    private final Protocol protocol;
    private final Remote owner;
    private final AdsStream.Collaborators with;
    private final StreamLimits.Permit permit;
    private final ResponseWriter writer;
    /** Takes the stream back when the owner has answered nothing (given why, and the requests it took meanwhile). */
    private final HandBack ownerUnreachable;
    private final Instant connectedAt = Instant.now();

    /** What this node authenticated the client as: the owner authorises it again. */
    private final Set<String> identities;
    private GrpcClientRequest<Buffer, Buffer> upstream;
    private GrpcClientResponse<Buffer, Buffer> upstreamResponse;
    private boolean clientEnded;
    private boolean closed;
    private Message firstRequest;
    /**
     * The client's requests after the first, forwarded before the owner answered anything: a stream handed back
     * replays them, since the owner that took them will never act on them.
     */
    private final List<GrpcMessage> unanswered = new ArrayList<>();
    private long pauses;
    private volatile ClientSnapshot snapshot;

    Relay(GrpcServerRequest<?, ?> call, Context context, ClientIdentity client, Set<String> identities,
            Protocol protocol, Remote owner, AdsStream.Collaborators with, StreamLimits.Permit permit,
            ResponseWriter writer, HandBack ownerUnreachable) {
        this.call = call;
        this.context = context;
        this.client = client;
        this.identities = identities;
        this.protocol = protocol;
        this.owner = owner;
        this.with = with;
        this.permit = permit;
        this.writer = writer;
        this.ownerUnreachable = ownerUnreachable;
    }

    /** What takes a stream back: why, and the client's requests after the first, decoded, in order. */
    interface HandBack {
        void accept(String cause, List<Message> laterRequests);
    }

    /**
     * On the stream's context, from within the handler of the client's first request.
     *
     * @param laterRequests requests of the client after the first that a relay before this one took and handed back
     */
    void start(Message firstRequest, List<? extends Message> laterRequests) {
        this.firstRequest = firstRequest;
        call.pause();
        call.messageHandler(this::fromClient);
        call.endHandler(v -> onClientEnd());
        call.errorHandler(error -> onClientGone());
        call.exceptionHandler(e -> onClientGone());
        call.response().exceptionHandler(e -> onClientGone());
        call.response().drainHandler(v -> {
            if (upstreamResponse != null) upstreamResponse.resume();
        });
        publishSnapshot();
        with.metrics().connected(protocol, +1);
        with.registry().add(this);
        LOG.info("Relaying {} ADS stream of node '{}' (shard {}) to its owner {} at {}", protocol, client.nodeId(),
                client.shardId(), owner.memberId(), owner.adsAddress());

        SocketAddress address;
        try {
            address = parse(owner.adsAddress());
        } catch (RuntimeException e) {
            fail(GrpcStatus.UNAVAILABLE, "shard " + client.shardId() + " is owned by node " + owner.memberId()
                    + " whose ADS address '" + owner.adsAddress() + "' is unusable; retry");
            return;
        }
        with.upstream().request(address).onComplete(onContext(opened -> {
            if (opened.failed()) {
                handBack(opened.cause());
                return;
            }
            GrpcClientRequest<Buffer, Buffer> request = opened.result();
            if (closed) {
                request.cancel();
                return;
            }
            upstream = request;
            request.serviceName(AdsServer.SERVICE).methodName(call.methodName());
            request.headers().set(RELAYED_BY_HEADER, with.router().localName());
            with.authority().carry(identities, request.headers());
            request.exceptionHandler(onContext(this::upstreamFailed));
            request.drainHandler(onContext(v -> {
                if (!closed) call.resume();
            }));
            request.response().onComplete(onContext(answered -> {
                if (answered.failed()) {
                    upstreamFailed(answered.cause());
                } else {
                    fromOwner(answered.result());
                }
            }));
            forward(GrpcMessage.message("identity", Buffer.buffer(firstRequest.toByteArray())));
            for (Message later : laterRequests) {
                if (closed) return;
                fromClient(GrpcMessage.message("identity", Buffer.buffer(later.toByteArray())));
            }
            if (closed) return;
            if (clientEnded) {
                request.end();
            } else {
                call.resume();
            }
        }));
    }

    // ---- client to owner ----

    private void fromClient(GrpcMessage message) {
        if (closed) return;
        if (upstreamResponse == null) {
            if (unanswered.size() >= MAX_UNANSWERED) {
                fail(GrpcStatus.RESOURCE_EXHAUSTED, "more than " + MAX_UNANSWERED + " requests before the shard's owner"
                        + " answered any; reconnect");
                return;
            }
            unanswered.add(message);
        }
        forward(message);
    }

    private void forward(GrpcMessage message) {
        try {
            upstream.writeMessage(message).onFailure(onContext(this::upstreamFailed));
        } catch (IllegalStateException gone) {
            upstreamFailed(gone);
            return;
        }
        if (upstream.writeQueueFull()) {
            pauses++;
            call.pause();
        }
    }

    private void onClientEnd() {
        clientEnded = true;
        if (closed || upstream == null) return;
        try {
            upstream.end();
        } catch (IllegalStateException alreadyGone) {
            // the owner ended first
        }
    }

    private void onClientGone() {
        if (closed) return;
        close();
        if (upstream != null) upstream.cancel();
    }

    // ---- owner to client ----

    private void fromOwner(GrpcClientResponse<Buffer, Buffer> response) {
        if (closed) {
            upstream.cancel();
            return;
        }
        upstreamResponse = response;
        unanswered.clear();
        response.messageHandler(onContext(this::toClient));
        response.errorHandler(onContext(error -> upstreamFailed(new IllegalStateException("stream " + error))));
        response.exceptionHandler(onContext(this::upstreamFailed));
        response.endHandler(onContext(v -> ownerEnded(response)));
    }

    private void toClient(GrpcMessage message) {
        if (closed || endUnlessRelayedToOwner()) return;
        try {
            Future<Void> written = message.encoding().equals("identity")
                    ? writer.write(((BufferInternal) message.payload()).getByteBuf())
                    : call.response().writeMessage(message);
            written.onFailure(onContext(e -> onClientGone()));
        } catch (IllegalStateException gone) {
            onClientGone();
            return;
        }
        if (call.response().writeQueueFull()) {
            pauses++;
            upstreamResponse.pause();
        }
    }

    private void ownerEnded(GrpcClientResponse<Buffer, Buffer> response) {
        if (closed) return;
        GrpcStatus status = response.status() == null ? GrpcStatus.UNAVAILABLE : response.status();
        close();
        endClient(status, response.statusMessage());
    }

    private void upstreamFailed(Throwable cause) {
        if (closed) return;
        LOG.info("Relay of node '{}' (shard {}) to {} failed: {}", client.nodeId(), client.shardId(),
                owner.adsAddress(), String.valueOf(cause));
        fail(GrpcStatus.UNAVAILABLE, "relay of shard " + client.shardId() + " to its owner " + owner.memberId()
                + " at " + owner.adsAddress() + " failed (" + cause.getMessage() + "); reconnect");
    }

    /**
     * No stream could be opened on the owner (connection refused or failed: it died a moment ago, most likely, and the
     * table will move its shard): the stream is handed back, unanswered, to wait for the table instead of being ended,
     * so the client does not reconnect in a loop until the owner's death is noticed.
     */
    private void handBack(Throwable cause) {
        if (closed) return;
        LOG.info("Relay of node '{}' (shard {}) to {} could not connect: {}", client.nodeId(), client.shardId(),
                owner.adsAddress(), String.valueOf(cause));
        unregister();
        ownerUnreachable.accept(String.valueOf(cause.getMessage()), List.of());
    }

    /** The client's requests the owner took without answering, decoded; empty when one cannot be (compressed). */
    private Optional<List<Message>> unansweredRequests() {
        List<Message> out = new ArrayList<>(unanswered.size());
        for (GrpcMessage message : unanswered) {
            if (!message.encoding().equals("identity")) return Optional.empty();
            try {
                out.add(firstRequest.getParserForType().parseFrom(message.payload().getBytes()));
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                return Optional.empty();
            }
        }
        return Optional.of(out);
    }

    // ---- moves ----

    @Override
    public void routeChanged() {
        context.runOnContext(v -> {
            if (!closed) endUnlessRelayedToOwner();
        });
    }

    /**
     * Ends the stream unless its shard still lives on the owner it is relayed to; true if it ended. Asked before
     * every response forwarded too: after a pause (SIGSTOP, a stalled VM) this node's event loops would otherwise
     * deliver what the owner sent before the pause, stale by now, before any notice of the route change arrives.
     */
    private boolean endUnlessRelayedToOwner() {
        Route now = with.router().route(client.shardId());
        if (now instanceof Remote remote && remote.memberId().equals(owner.memberId())) return false;
        Optional<List<Message>> later = upstreamResponse == null && !closed ? unansweredRequests() : Optional.empty();
        if (later.isPresent()) {
            // The owner has answered nothing, so the client has been sent nothing: routed afresh, not ended, with
            // every request it sent (the owner took them and will never act on them).
            LOG.info("Relay of node '{}' (shard {}) to {} handed back: the shard moved before its owner answered",
                    client.nodeId(), client.shardId(), owner.adsAddress());
            // Closed before the upstream is cancelled: cancelling fails the upstream at once, on this context, and a
            // relay still open would take that failure as its own and end the client's stream it is handing back.
            unregister();
            if (upstream != null) upstream.cancel();
            ownerUnreachable.accept("the shard moved before its owner answered", later.get());
            return true;
        }
        fail(GrpcStatus.UNAVAILABLE, AdsStream.movedMessage(client, now));
        return true;
    }

    // ---- ending ----

    private void fail(GrpcStatus status, String message) {
        if (closed) return;
        close();
        if (upstream != null) upstream.cancel();
        endClient(status, message);
    }

    /** Ends the client's stream with a status, or resets it when it reads nothing (a status would wait behind). */
    private void endClient(GrpcStatus status, String message) {
        if (call.response().writeQueueFull()) {
            call.response().cancel();
            return;
        }
        try {
            var out = call.response().status(status);
            if (message != null) out.statusMessage(message);
            out.end();
        } catch (IllegalStateException alreadyGone) {
            // the client went away meanwhile
        }
    }

    private void close() {
        if (closed) return;
        unregister();
        permit.release();
    }

    /** Stops counting and listing this relay; the stream's permit stays with whoever holds the stream now. */
    private void unregister() {
        closed = true;
        with.metrics().connected(protocol, -1);
        with.registry().remove(this);
    }

    // ---- helpers ----

    /** Runs {@code handler} on this stream's context, at once when already there. */
    private <T> Handler<T> onContext(Handler<T> handler) {
        return value -> {
            if (Vertx.currentContext() == context) {
                handler.handle(value);
            } else {
                context.runOnContext(v -> handler.handle(value));
            }
        };
    }

    static SocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("not host:port: " + hostPort);
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return SocketAddress.inetSocketAddress(Integer.parseInt(hostPort.substring(colon + 1)), host);
    }

    private void publishSnapshot() {
        snapshot = new ClientSnapshot(client.nodeId(), client.gateway(), client.shard(), protocol, connectedAt,
                Map.of(), 0, 0, 0, pauses, owner.adsAddress());
    }

    @Override
    public ClientSnapshot snapshot() {
        publishSnapshot();
        return snapshot;
    }
}
