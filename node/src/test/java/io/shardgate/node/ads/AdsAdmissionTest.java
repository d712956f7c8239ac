package io.shardgate.node.ads;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import io.shardgate.sharding.ShardId;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.ReceivedResponse;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsClientOptions;
import io.shardgate.xdsclient.XdsType;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which shard a client gets, what happens when it names none that exists, and when the shard is not ready. */
class AdsAdmissionTest {
    private AdsTestBed bed;

    @BeforeEach
    void start() throws Exception {
        bed = new AdsTestBed();
    }

    @AfterEach
    void stop() throws Exception {
        bed.close();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anUnknownGatewayEndsTheStreamWithNotFoundNamingNoOtherGateway(Mode mode) throws Exception {
        Status status = finalStatus(bed.connect(mode, "nope", 0));

        assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status.getDescription()).contains("'nope'").doesNotContain(AdsTestBed.GATEWAY + "'", "[" + AdsTestBed.GATEWAY);
        assertThat(bed.metrics.refused).hasValue(1);
        assertThat(bed.metrics.connected).hasValue(0);
        assertThat(bed.server.clients()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void beforeTheNodeHasLoadedItsConfigurationAnUnknownGatewayIsRetryable(Mode mode) throws Exception {
        var unsynced = new io.shardgate.node.store.ShardDirectory();
        // Its own Vert.x: servers of one Vert.x asked for a random port share it (and would reach the bed's).
        var vertx = io.vertx.core.Vertx.vertx();
        var server = new AdsServer(vertx, unsynced, AdsMetrics.NONE, nack -> {});
        int port = server.listen(AdsServerOptions.onPort(0).withHost("127.0.0.1")).toCompletionStage()
                .toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
        try (var client = io.shardgate.xdsclient.XdsClient.connect(io.shardgate.xdsclient.XdsClientOptions.of(
                "127.0.0.1", port, mode, "early", "gw", 0))) {
            Status status = finalStatus(client);
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(status.getDescription()).contains("still loading").contains("'gw'");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anUnknownShardEndsTheStreamWithNotFoundGivingTheShardRange(Mode mode) throws Exception {
        Status status = finalStatus(bed.connect(mode, AdsTestBed.GATEWAY, 2));

        assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status.getDescription()).contains("no shard 2").contains("0..1");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aShardThatIsNotANumberIsAnInvalidArgument(Mode mode) throws Exception {
        Node node = Node.newBuilder().setId("envoy-x").setCluster(AdsTestBed.GATEWAY)
                .setMetadata(Struct.newBuilder().putFields("shard", Value.newBuilder().setStringValue("first").build()))
                .build();
        Status status = finalStatus(bed.connect(XdsClientOptions.of("127.0.0.1", bed.server.port(), mode, "", "", 0).withNode(node)));

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("shard").contains("first");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aGatewayNameWithASlashIsAnInvalidArgument(Mode mode) throws Exception {
        Node node = XdsClientOptions.node("envoy-x", "gw/1", 0);
        Status status = finalStatus(bed.connect(XdsClientOptions.of("127.0.0.1", bed.server.port(), mode, "", "", 0).withNode(node)));

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("node.cluster").contains("'/'");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theShardIsAlsoReadFromAStringAndServedFromItsOwnStore(Mode mode) throws Exception {
        bed.directory.store(new ShardId(AdsTestBed.GATEWAY, 1)).markReady();
        StandardShard.serve(bed);
        Node node = XdsClientOptions.node("envoy-x", AdsTestBed.GATEWAY, 0).toBuilder()
                .setMetadata(Struct.newBuilder().putFields("shard", Value.newBuilder().setStringValue("1").build()))
                .build();
        XdsClient client = bed.connect(XdsClientOptions.of("127.0.0.1", bed.server.port(), mode, "", "", 0).withNode(node));

        AdsTestBed.await(client, "the empty shard 1 answers", s -> s.responses().stream()
                .anyMatch(r -> r.type() == XdsType.LISTENER));
        assertThat(client.resources(XdsType.LISTENER)).isEmpty();
        assertThat(bed.serverView("envoy-x").shard()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aShardIsServedOnlyOnceReadyAndThenWhole(Mode mode) throws Exception {
        bed.put(StandardShard.resources().subList(0, 5).toArray(XdsResource[]::new));
        XdsClient client = bed.connect(mode);
        AdsTestBed.eventually("the server has the client's LDS and CDS requests", () -> {
            ClientSnapshot seen = bed.serverView("envoy-1");
            return seen != null && seen.types().containsKey(ResourceType.LISTENER) && seen.types().containsKey(ResourceType.CLUSTER);
        });
        bed.put(StandardShard.resources().subList(5, StandardShard.resources().size())
                .toArray(XdsResource[]::new));

        assertThat(client.awaitState(s -> !s.responses().isEmpty(), Duration.ofMillis(500)))
                .as("no response before the shard is ready").isFalse();

        bed.store().markReady();
        bed.awaitStoreState(client);
        ReceivedResponse firstClusters = client.responses().stream()
                .filter(r -> r.type() == XdsType.CLUSTER).findFirst().orElseThrow();
        assertThat(firstClusters.resources()).containsExactlyInAnyOrder("svc-a", "svc-b");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aClientThatGoesAwayIsForgotten(Mode mode) throws Exception {
        StandardShard.serve(bed);
        XdsClient client = bed.connect(mode);
        bed.awaitStoreState(client);
        assertThat(bed.server.clients()).extracting(ClientSnapshot::nodeId).containsExactly("envoy-1");
        assertThat(bed.metrics.connected).hasValue(1);

        client.close();

        AdsTestBed.eventually("the server forgets the client", () -> bed.server.clients().isEmpty());
        assertThat(bed.metrics.connected).hasValue(0);
    }

    private static Status finalStatus(XdsClient client) throws Exception {
        return client.terminated().get(AdsTestBed.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
}
