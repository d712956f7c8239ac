package io.shardgate.kubemock;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * fabric8's CRUD dispatcher, with two fixes: a watch's close is handled off the Vert.x event loop, and a JSON
 * patch that cannot be applied is answered.
 *
 * <p>In kubernetes-server-mock 7.8.0, a watch listener's {@code onClosed} waits for its send executor to
 * finish, on the event loop. If a watch event is being written to that socket at that moment, the write
 * needs the very event loop that is waiting: the whole server freezes for 30 seconds (until the write
 * times out). A client that closes a watch while objects change (an informer stopped at the end of a test)
 * hits this. Running {@code onClosed} and {@code onFailure} on another thread removes the deadlock.
 *
 * <p>Also, a JSON patch that cannot be applied (a {@code test} operation that fails, as a resourceVersion
 * precondition does once the object changed) is answered 422, as a real API server answers it; fabric8's
 * handler throws, and the request was left without an answer until the client timed out.
 */
final class WatchCloseOffLoopDispatcher extends KubernetesCrudDispatcher {
    private final ExecutorService closer = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "kube-mock-watch-close");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * With {@code -Dkubemock.request-log=FILE}, every request goes to FILE as a line "METHOD path TOKEN": the
     * bearer token tells the clients of a test apart.
     */
    private final Path requestLog = System.getProperty("kubemock.request-log") == null ? null
            : Path.of(System.getProperty("kubemock.request-log"));

    /**
     * With {@code -Dkubemock.absent-groups=GROUP,...}, every request under {@code /apis/GROUP/} is answered 404, as a
     * real API server answers for a group whose CRDs are not installed.
     */
    private final List<String> absentGroups = System.getProperty("kubemock.absent-groups") == null ? List.of()
            : List.of(System.getProperty("kubemock.absent-groups").split(","));

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (requestLog != null) {
            String auth = request.getHeader("Authorization");
            String token = auth == null ? "-" : auth.replaceFirst("^Bearer ", "");
            logRequest(request.getMethod() + " " + request.getPath() + " " + token + "\n");
        }
        for (String group : absentGroups) {
            if (request.getPath().startsWith("/apis/" + group + "/")) {
                return new MockResponse().setResponseCode(404).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                        + "\"message\":\"the server could not find the requested resource\",\"reason\":\"NotFound\",\"code\":404}");
            }
        }
        try {
            return super.dispatch(request);
        } catch (JsonPatchException e) {
            return new MockResponse().setResponseCode(422)
                    .setBody(new KubernetesCrudDispatcherException(e.toString(), 422).toStatusBody());
        }
    }

    private synchronized void logRequest(String line) {
        try {
            Files.writeString(requestLog, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the request log " + requestLog, e);
        }
    }

    @Override
    public MockResponse handleGet(String path) {
        MockResponse response = super.handleGet(path);
        WebSocketListener watch = response.getWebSocketListener();
        return watch == null ? response : response.withWebSocketUpgrade(new OffLoopClose(watch));
    }

    private final class OffLoopClose extends WebSocketListener {
        private final WebSocketListener delegate;

        OffLoopClose(WebSocketListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onBeforeAccept(WebSocket webSocket, Response response) {
            delegate.onBeforeAccept(webSocket, response);
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            delegate.onOpen(webSocket, response);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            delegate.onMessage(webSocket, text);
        }

        @Override
        public void onMessage(WebSocket webSocket, byte[] bytes) {
            delegate.onMessage(webSocket, bytes);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            delegate.onClosing(webSocket, code, reason);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            closer.execute(() -> delegate.onClosed(webSocket, code, reason));
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable error, Response response) {
            closer.execute(() -> delegate.onFailure(webSocket, error, response));
        }
    }
}
