package io.shardgate.node.ads;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.shardgate.node.store.ShardDirectory;
import io.shardgate.sharding.ShardId;
import io.shardgate.node.store.ShardStore;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.ReceivedResource;
import io.shardgate.xdsclient.ReceivedResponse;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsClientOptions;
import io.shardgate.xdsclient.XdsState;
import io.shardgate.xdsclient.XdsType;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A real ADS server on loopback with gateway {@value #GATEWAY} (2 shards) and {@link XdsClient}s speaking to it;
 * shard 0's store is filled directly by the tests.
 */
final class AdsTestBed {
    static final String GATEWAY = "gw";
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    final Vertx vertx = Vertx.vertx();
    final ShardDirectory directory = new ShardDirectory();
    final List<Nack> nacks = new CopyOnWriteArrayList<>();
    final RecordingMetrics metrics = new RecordingMetrics();
    final AdsServer server;
    private final List<XdsClient> clients = new ArrayList<>();
    private int clientCount;
    private int markers;

    AdsTestBed() throws Exception {
        this(options -> options);
    }

    AdsTestBed(UnaryOperator<AdsServerOptions> tuning) throws Exception {
        this(ShardRouter.LOCAL, tuning);
    }

    AdsTestBed(ShardRouter router, UnaryOperator<AdsServerOptions> tuning) throws Exception {
        this(router, tuning, ClientLimits.DEFAULTS);
    }

    AdsTestBed(ClientLimits limits) throws Exception {
        this(ShardRouter.LOCAL, options -> options, limits);
    }

    AdsTestBed(ShardRouter router, UnaryOperator<AdsServerOptions> tuning, ClientLimits limits) throws Exception {
        this(router, tuning, limits, ClientAuthority.OPEN);
    }

    AdsTestBed(ShardRouter router, UnaryOperator<AdsServerOptions> tuning, ClientLimits limits, ClientAuthority authority)
            throws Exception {
        server = new AdsServer(vertx, directory, router, metrics, nacks::add);
        directory.defineGateway(GATEWAY, 2);
        directory.markSynced();
        server.listen(tuning.apply(AdsServerOptions.onPort(0).withHost("127.0.0.1").withEventLoops(2)), limits, authority)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    ShardStore store() {
        return directory.store(new ShardId(GATEWAY, 0));
    }

    /** Applies one batch to shard 0: puts, then removals given as {@code (type, name)} via {@link #remove}. */
    void put(XdsResource... resources) {
        ShardStore.Batch batch = new ShardStore.Batch();
        for (XdsResource r : resources) batch.put(r);
        store().apply(batch);
    }

    void remove(ResourceType type, String... names) {
        ShardStore.Batch batch = new ShardStore.Batch();
        for (String name : names) batch.remove(type, name);
        store().apply(batch);
    }

    XdsClient connect(Mode mode) {
        return connect(mode, GATEWAY, 0);
    }

    XdsClient connect(Mode mode, String gateway, int shard) {
        return connect(XdsClientOptions.of("127.0.0.1", server.port(), mode, "envoy-" + (++clientCount), gateway, shard));
    }

    XdsClient connect(XdsClientOptions options) {
        XdsClient client = XdsClient.connect(options);
        clients.add(client);
        return client;
    }

    /** Waits for the condition, failing with what the client holds if it does not come. */
    static void await(XdsClient client, String what, Predicate<XdsState> condition) throws InterruptedException {
        assertThat(client.awaitState(condition, TIMEOUT)).as("%s; client state: %s", what, client.describe()).isTrue();
    }

    /** Waits until the client holds exactly what shard 0's store holds, every type. */
    void awaitStoreState(XdsClient client) throws InterruptedException {
        await(client, "client holds exactly the store", state -> {
            for (ResourceType type : ResourceType.values()) {
                if (!bodies(state.resources(XdsType.ofTypeUrl(type.typeUrl()))).equals(storeBodies(type))) return false;
            }
            return true;
        });
    }

    Map<String, ByteString> storeBodies(ResourceType type) {
        Map<String, ByteString> out = new HashMap<>();
        for (XdsResource r : store().all(type)) out.put(r.name(), r.body());
        return out;
    }

    static Map<String, ByteString> bodies(Map<String, ReceivedResource> resources) {
        Map<String, ByteString> out = new HashMap<>();
        resources.forEach((name, r) -> out.put(name, r.body()));
        return out;
    }

    static XdsType xdsType(ResourceType type) {
        return XdsType.ofTypeUrl(type.typeUrl());
    }

    /** The responses a client received after the first {@code skip}. */
    static List<ReceivedResponse> since(XdsClient client, int skip) {
        List<ReceivedResponse> all = client.responses();
        return all.subList(Math.min(skip, all.size()), all.size());
    }

    /**
     * Polls a condition on the server side (which has no change signal to wait on) until it holds or the
     * timeout passes.
     */
    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            LockSupport.parkNanos(1_000_000);
        }
    }

    /**
     * The responses a client received after the first {@code skip}, known to be complete: renews the
     * certificate of b.example.com and waits for it. SDS comes last in every push pass, so whatever earlier
     * changes caused has arrived before it. The marker's own response is left out.
     */
    List<ReceivedResponse> responsesSettledSince(XdsClient client, int skip) throws InterruptedException {
        XdsResource marker = EnvoyResources.secret(StandardShard.CERT_B, "renewed certificate " + (++markers));
        put(marker);
        await(client, "the marker arrives", s -> s.resource(XdsType.SECRET, StandardShard.CERT_B).body().equals(marker.body()));
        List<ReceivedResponse> settled = since(client, skip);
        ReceivedResponse last = settled.get(settled.size() - 1);
        assertThat(last.type()).isEqualTo(XdsType.SECRET);
        assertThat(last.resources()).containsExactly(StandardShard.CERT_B);
        return settled.subList(0, settled.size() - 1);
    }

    ClientSnapshot serverView(String nodeId) {
        return server.clients().stream().filter(c -> c.nodeId().equals(nodeId)).findFirst().orElse(null);
    }

    void close() throws Exception {
        for (XdsClient client : clients) client.close();
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
