package io.shardgate.node.ads;

import static io.shardgate.node.ads.AdsTestBed.GATEWAY;
import static io.shardgate.node.ads.AdsTestBed.TIMEOUT;
import static io.shardgate.xdsclient.BareAds.node;
import static io.shardgate.xdsclient.BareAds.sotw;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Metadata;
import io.grpc.Status;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.xdsclient.BareAds;
import io.shardgate.xdsclient.XdsType;
import io.shardgate.translator.resource.XdsResource;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.XdsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every bound a client meets: request size, names per subscription, streams per connection (a relaying node's
 * apart) and per node, stalled streams, compressed requests, unknown types. Each refusal names the limit, and a
 * well-behaved client next to the offender is served throughout.
 */
class AdsClientLimitsTest {
    private static final Node ATTACKER = node("attacker", GATEWAY);
    private AdsTestBed bed;
    private final List<AutoCloseable> connections = new ArrayList<>();

    private AdsTestBed serve(ClientLimits limits) throws Exception {
        bed = new AdsTestBed(limits);
        StandardShard.serve(bed);
        return bed;
    }

    private BareAds connect(int window) {
        BareAds raw = new BareAds(bed.server.port(), window);
        connections.add(raw);
        return raw;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : connections) c.close();
        bed.close();
    }

    @Test
    void aRequestLargerThanTheLimitEndsItsStreamWithResourceExhausted() throws Exception {
        serve(ClientLimits.DEFAULTS);
        String name = "n".repeat(100_000);
        List<String> names = IntStream.range(0, 90).mapToObj(i -> i + name).toList(); // 9 MB, over the 8 MiB default

        var stream = connect(1 << 20).sotw();
        stream.send(sotw(ATTACKER, XdsType.ROUTE, "", names));

        assertThat(stream.awaitEnd(TIMEOUT).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertWellBehavedClientServed();
    }

    /**
     * Requests sent slowly and never finished: the node holds each one's bytes until its end, so their sum over the
     * node is bounded. The stream that takes it past the budget is reset; what was held is let go.
     */
    @Test
    void requestsBegunAndNotEndedAreBoundedOverTheNode() throws Exception {
        serve(ClientLimits.DEFAULTS.withMaxPendingRequestBytes(8L << 20));
        List<String> names = IntStream.range(0, 4_000).mapToObj(i -> i + "-" + "n".repeat(1_000)).toList();
        byte[] request = sotw(node("slow-sender", GATEWAY), XdsType.CLUSTER, "", names).toByteArray();
        HttpClientAgent http = bed.vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
        HttpClientConnection connection = http.connect(new HttpConnectOptions().setHost("127.0.0.1")
                .setPort(bed.server.port())).await(10, TimeUnit.SECONDS);

        List<CompletableFuture<Long>> resets = new ArrayList<>();
        List<HttpClientRequest> partial = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpClientRequest sending = sotwRequest(connection);
            CompletableFuture<Long> reset = new CompletableFuture<>();
            sending.exceptionHandler(e -> {
                if (e instanceof io.vertx.core.http.StreamResetException r) reset.complete(r.getCode());
            });
            sending.write(frame(request, 3 << 20)); // 3 of the message's 4 MB, and never the rest
            resets.add(reset);
            partial.add(sending);
        }

        assertThat(CompletableFuture.anyOf(resets.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS))
                .as("the stream past the budget is reset with ENHANCE_YOUR_CALM").isEqualTo(0xbL);
        for (HttpClientRequest sending : partial) sending.reset();

        var whole = connect(1 << 20).sotw();
        whole.send(sotw(node("whole-sender", GATEWAY), XdsType.CLUSTER, "", names));
        whole.awaitResponse(1, TIMEOUT);
        assertWellBehavedClientServed();
        http.close();
    }

    private static HttpClientRequest sotwRequest(HttpClientConnection connection) throws Exception {
        HttpClientRequest request = connection.request(new RequestOptions().setMethod(HttpMethod.POST)
                .setURI("/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources")
                .putHeader("content-type", "application/grpc")).await(10, TimeUnit.SECONDS);
        request.setChunked(true);
        return request;
    }

    /** A gRPC frame announcing {@code message} whole, carrying its first {@code bytes} bytes. */
    private static Buffer frame(byte[] message, int bytes) {
        return Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message, 0, bytes);
    }

    @Test
    void aSotwRequestNamingMoreThanTheLimitEndsItsStream() throws Exception {
        serve(ClientLimits.DEFAULTS.withMaxNamesPerSubscription(1_000));
        List<String> names = IntStream.range(0, 1_001).mapToObj(i -> "r-" + i).toList();

        var stream = connect(1 << 20).sotw();
        stream.send(sotw(ATTACKER, XdsType.ROUTE, "", names));

        Status status = stream.awaitEnd(TIMEOUT);
        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(status.getDescription()).contains("at most 1000 resources").contains("1001");
    }

    @Test
    void theDefaultNameLimitRefusesAHundredThousandAndOneNames() throws Exception {
        serve(ClientLimits.DEFAULTS);
        List<String> names = IntStream.range(0, 100_001).mapToObj(i -> "r-" + i).toList();

        var stream = connect(1 << 20).sotw();
        stream.send(sotw(ATTACKER, XdsType.ROUTE, "", names));

        assertThat(stream.awaitEnd(TIMEOUT).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void deltaSubscriptionsGrowingPastTheLimitEndTheirStream() throws Exception {
        serve(ClientLimits.DEFAULTS.withMaxNamesPerSubscription(1_000));
        var stream = connect(1 << 20).delta();
        stream.send(DeltaDiscoveryRequest.newBuilder().setNode(ATTACKER).setTypeUrl(ResourceType.ROUTE.typeUrl())
                .addAllResourceNamesSubscribe(IntStream.range(0, 600).mapToObj(i -> "a-" + i).toList()).build());
        stream.awaitResponse(1, TIMEOUT);

        stream.send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(ResourceType.ROUTE.typeUrl())
                .addAllResourceNamesSubscribe(IntStream.range(0, 600).mapToObj(i -> "b-" + i).toList()).build());

        Status status = stream.awaitEnd(TIMEOUT);
        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(status.getDescription()).contains("1200");
    }

    /**
     * A client's bound is the HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS every connection starts with (a conforming
     * client queues the rest at no cost to the node); a connection whose stream shows it is a relaying node's is
     * raised to the peer bound.
     */
    @Test
    void aConnectionStartsWithTheClientBoundAndIsRaisedWhenAStreamShowsItIsAPeer() throws Exception {
        serve(ClientLimits.DEFAULTS.withStreams(100, 500, 1_000));
        HttpClientAgent http = bed.vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
        HttpClientConnection connection = http.connect(new HttpConnectOptions().setHost("127.0.0.1")
                .setPort(bed.server.port())).await(10, TimeUnit.SECONDS);
        CompletableFuture<Long> raised = new CompletableFuture<>();
        connection.remoteSettingsHandler(settings -> raised.complete(settings.getMaxConcurrentStreams()));
        AdsTestBed.eventually("the server's settings arrived", () -> connection.remoteSettings() != null
                && connection.remoteSettings().getMaxConcurrentStreams() == 100);

        HttpClientRequest relayed = sotwRequest(connection);
        relayed.putHeader(Relay.RELAYED_BY_HEADER, "node-b");
        byte[] request = sotw(node("relayed", GATEWAY), XdsType.CLUSTER, "", List.of()).toByteArray();
        relayed.write(frame(request, request.length));

        assertThat(raised.get(10, TimeUnit.SECONDS)).isEqualTo(500);
        http.close();
    }

    @Test
    void streamsARelayingNodeMultiplexesHaveTheirOwnBoundAndTheNodeBoundCoversEveryStream() throws Exception {
        serve(ClientLimits.DEFAULTS.withStreams(2, 10, 9));
        Metadata relayed = new Metadata();
        relayed.put(Metadata.Key.of(Relay.RELAYED_BY_HEADER, Metadata.ASCII_STRING_MARSHALLER), "node-b");
        BareAds peer = connect(1 << 20);
        for (int i = 0; i < 5; i++) {
            var stream = peer.sotw(true, relayed);
            stream.send(sotw(node("relayed-" + i, GATEWAY), XdsType.CLUSTER, "", List.of()));
            stream.awaitResponse(1, TIMEOUT);
        }
        // On the raised connection, streams without the header still have a client's bound.
        openServed(peer, "unmarked-0");
        openServed(peer, "unmarked-1");
        var third = peer.sotw();
        third.send(sotw(node("unmarked-2", GATEWAY), XdsType.CLUSTER, "", List.of()));
        Status status = third.awaitEnd(TIMEOUT);
        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(status.getDescription()).contains("this connection already has 2 ADS streams, the most allowed from one client");

        BareAds client = connect(1 << 20);
        openServed(client, "direct-0");
        openServed(client, "direct-1");
        var overNode = connect(1 << 20).sotw();
        overNode.send(sotw(node("direct-2", GATEWAY), XdsType.CLUSTER, "", List.of()));
        status = overNode.awaitEnd(TIMEOUT);
        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(status.getDescription()).contains("this node already serves 9 ADS streams");
    }

    @Test
    void aStreamThatNeverAcknowledgesIsEndedAfterTheStallTimeout() throws Exception {
        serve(ClientLimits.DEFAULTS.withStallTimeout(Duration.ofSeconds(1)));
        XdsClient wellBehaved = bed.connect(Mode.DELTA);
        bed.awaitStoreState(wellBehaved);

        var stream = connect(1 << 20).sotw();
        stream.send(sotw(ATTACKER, XdsType.CLUSTER, "", List.of()));
        stream.awaitResponse(1, TIMEOUT);

        Status status = stream.awaitEnd(TIMEOUT);
        assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(status.getDescription()).contains("no ACK or NACK");
        assertThat(wellBehaved.terminated()).as("the client that answers keeps its stream").isNotDone();
        AdsTestBed.eventually("only the well-behaved client is left", () -> bed.server.clients().size() == 1);
    }

    @Test
    void aStreamThatNeverReadsIsResetAfterTheStallTimeout() throws Exception {
        bed = new AdsTestBed(ClientLimits.DEFAULTS.withStallTimeout(Duration.ofSeconds(1)));
        stallOnABigListener(ByteString.copyFrom(new byte[4 << 20]));

        // The client reads nothing, not even the reset: what shows it is the server letting the stream go.
        AdsTestBed.eventually("the stream is gone from the server", () -> bed.server.clients().isEmpty());
        assertThat(bed.metrics.connected).hasValue(0);
    }

    /**
     * What a client that stops reading holds back is the resource's cached body itself: the body's array is
     * changed behind the store's back while the response waits, and the client, once it reads, gets the change.
     * A copy made when the response was written would not show it.
     */
    @Test
    void aStalledStreamHoldsTheCachedBodyNotACopy() throws Exception {
        bed = new AdsTestBed(ClientLimits.DEFAULTS);
        byte[] body = new byte[4 << 20];
        var stream = stallOnABigListener(UnsafeByteOperations.unsafeWrap(body));
        body[body.length - 1] = 42;
        stream.read(1);

        DiscoveryResponse response = stream.awaitResponse(1, TIMEOUT);
        ByteString received = response.getResources(0).getValue();
        assertThat(received.size()).isEqualTo(body.length);
        assertThat(received.byteAt(body.length - 1)).isEqualTo((byte) 42);
    }

    @Test
    void anUnknownTypeUrlEndsTheStreamWithInvalidArgumentNamingTheServedTypes() throws Exception {
        serve(ClientLimits.DEFAULTS);
        var stream = connect(1 << 20).sotw();
        stream.send(sotw(ATTACKER, XdsType.CLUSTER, "", List.of()).toBuilder()
                .setTypeUrl("type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig").build());

        Status status = stream.awaitEnd(TIMEOUT);
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("TypedExtensionConfig").contains(ResourceType.LISTENER.typeUrl());
    }

    @Test
    void aCompressedRequestIsRefusedBeforeItIsInflated() throws Exception {
        serve(ClientLimits.DEFAULTS);
        var stream = connect(1 << 20).gzipSotw();
        stream.send(sotw(ATTACKER, XdsType.CLUSTER, "", Collections.nCopies(100_000, "a")));

        Status status = stream.awaitEnd(TIMEOUT);
        assertThat(status.getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(status.getDescription()).contains("compressed requests are not accepted");
        assertWellBehavedClientServed();
    }

    /**
     * Serves one listener with {@code body} and opens a stream that asks for it and reads nothing, with a 64 KiB
     * window; returns once the server holds part of the response back.
     */
    private BareAds.Stream<DiscoveryRequest, DiscoveryResponse> stallOnABigListener(ByteString body) {
        bed.put(new XdsResource(ResourceType.LISTENER, "big", body, 1));
        bed.store().markReady();
        var stream = connect(65_535).sotw(false, null);
        stream.send(sotw(ATTACKER, XdsType.LISTENER, "", List.of()));
        AdsTestBed.eventually("the response waits on the client", () -> {
            ClientSnapshot view = bed.serverView("attacker");
            return view != null && view.unwrittenBytes() > 0;
        });
        return stream;
    }

    /** Opens a stream that asks for CDS and waits for its first response. */
    private static BareAds.Stream<?, ?> openServed(BareAds connection, String nodeId) throws Exception {
        var stream = connection.sotw();
        stream.send(sotw(node(nodeId, GATEWAY), XdsType.CLUSTER, "", List.of()));
        stream.awaitResponse(1, TIMEOUT);
        return stream;
    }

    private void assertWellBehavedClientServed() throws Exception {
        XdsClient client = bed.connect(Mode.SOTW);
        bed.awaitStoreState(client);
    }
}
