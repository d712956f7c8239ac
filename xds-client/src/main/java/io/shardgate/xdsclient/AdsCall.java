package io.shardgate.xdsclient;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One ADS stream of a client, in one protocol: turns responses into {@link Update}s and the client's decisions
 * into requests. Reads one response at a time (manual gRPC flow control): the next is requested only when the
 * client has handled the last, which is what lets a paused client stop reading.
 *
 * <p>Not thread-safe: the client calls it with its lock held.
 */
abstract class AdsCall<Req, Resp> implements ClientResponseObserver<Req, Resp> {

    /** What a client knows of a type when it (re)opens a stream. */
    /** @param subscribed whether the client wants the type at all (a wildcard type, or names of a named type) */
    record Resume(XdsType type, boolean subscribed, Set<String> names, Map<String, String> heldVersions, String acceptedVersion) {}

    /** Receives the call's events, on gRPC's threads (one at a time per call). */
    interface Listener {
        void onUpdate(AdsCall<?, ?> call, Update update);

        void onEnd(AdsCall<?, ?> call, Status status);
    }

    private final Listener listener;
    private final Node node;
    private final boolean nodeOnEveryRequest;
    private final CompletableFuture<Status> ended = new CompletableFuture<>();
    private ClientCallStreamObserver<Req> requests;
    private boolean nodeSent;

    AdsCall(Listener listener, Node node, boolean nodeOnEveryRequest) {
        this.listener = listener;
        this.node = node;
        this.nodeOnEveryRequest = nodeOnEveryRequest;
    }

    /** Sends the first requests of the stream, for the types the client is subscribed to. */
    abstract void open(List<Resume> types);

    abstract void acknowledge(Update update, Set<String> names);

    abstract void reject(Update update, Set<String> names, String message);

    abstract void resubscribe(XdsType type, Set<String> names, Set<String> added, Set<String> removed);

    /** The response as an update, or null for a type the client does not follow. */
    abstract Update decode(Resp response);

    @Override
    public final void beforeStart(ClientCallStreamObserver<Req> requests) {
        this.requests = requests;
        requests.disableAutoRequestWithInitial(1);
    }

    @Override
    public final void onNext(Resp response) {
        Update update = decode(response);
        if (update == null) {
            requestNext();
        } else {
            listener.onUpdate(this, update);
        }
    }

    @Override
    public final void onError(Throwable t) {
        ended.complete(Status.fromThrowable(t));
        listener.onEnd(this, Status.fromThrowable(t));
    }

    @Override
    public final void onCompleted() {
        ended.complete(Status.OK);
        listener.onEnd(this, Status.OK);
    }

    final CompletableFuture<Status> ended() {
        return ended;
    }

    final void requestNext() {
        requests.request(1);
    }

    final void cancel() {
        requests.cancel("the client reconnects or closes", null);
    }

    final void send(Req request) {
        requests.onNext(request);
    }

    /**
     * The node for the next request: on every one, or on the stream's first only (null afterwards: Envoy's
     * set_node_on_first_message_only).
     */
    final Node nodeForRequest() {
        if (nodeSent && !nodeOnEveryRequest) return null;
        nodeSent = true;
        return node;
    }
}
