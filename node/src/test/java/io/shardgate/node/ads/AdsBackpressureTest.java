package io.shardgate.node.ads;

import static io.shardgate.node.ads.AdsTestBed.since;
import static io.shardgate.node.ads.EnvoyResources.cluster;
import static io.shardgate.node.ads.EnvoyResources.endpoints;
import static io.shardgate.node.ads.EnvoyResources.httpListener;
import static io.shardgate.node.ads.EnvoyResources.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.node.store.ShardStore;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.ReceivedResponse;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsType;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client that stops reading costs the server at most one response per type, however much changes; when it
 * reads again it gets the latest state, not the history.
 */
class AdsBackpressureTest {
    private static final int CLUSTERS = 2_000;
    /** Makes a full CDS response about 2 MB: more than the HTTP/2 windows, so the write queue fills. */
    private static final int CLUSTER_PADDING = 1_000;
    private static final int CHANGES = 10_000;

    private AdsTestBed bed;

    @BeforeEach
    void start() throws Exception {
        bed = new AdsTestBed();
        ShardStore.Batch batch = new ShardStore.Batch().put(httpListener("http", "http")).put(route("http", "*", "c0"));
        for (int i = 0; i < CLUSTERS; i++) {
            batch.put(cluster("c" + i, CLUSTER_PADDING)).put(endpoints("c" + i, 8080, 3));
        }
        bed.store().apply(batch);
        bed.store().markReady();
    }

    @AfterEach
    void stop() throws Exception {
        bed.close();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aClientThatStopsReadingHoldsOneResponsePerTypeAndCatchesUpWithTheLatestState(Mode mode) throws Exception {
        XdsClient client = bed.connect(mode);
        bed.awaitStoreState(client);
        AdsTestBed.eventually("every response acknowledged",
                () -> bed.serverView("envoy-1").unacknowledgedResponses() == 0);
        int mark = client.responses().size();
        long pausesBefore = bed.serverView("envoy-1").backpressurePauses();

        client.pauseReading();
        bed.put(route("http", "*", "c1")); // the response the client holds unread: then it reads nothing more
        AdsTestBed.await(client, "the client stopped reading", s -> s.unreadResponses() == 1);
        ShardStore.Batch everyCluster = new ShardStore.Batch();
        for (int n = 0; n < CLUSTERS; n++) everyCluster.put(cluster("c" + n, CLUSTER_PADDING + 1));
        bed.store().apply(everyCluster); // a response bigger than the client's flow-control window
        for (int i = CLUSTERS; i < CHANGES; i++) {
            int n = (i / 2) % CLUSTERS;
            bed.put(i % 2 == 0 ? cluster("c" + n, CLUSTER_PADDING + 2 + i % 13) : endpoints("c" + n, 9000 + i, 3));
        }
        AdsTestBed.eventually("the server stops producing for the client that does not read",
                () -> bed.serverView("envoy-1").backpressurePauses() > pausesBefore);
        client.resumeReading();

        bed.awaitStoreState(client);
        ClientSnapshot after = bed.serverView("envoy-1");
        assertThat(after.maxUnacknowledgedResponses())
                .as("responses buffered at once on the stream, at most one per type")
                .isLessThanOrEqualTo(ResourceType.values().length);
        Map<XdsType, Long> responsesPerType = since(client, mark).stream()
                .collect(Collectors.groupingBy(ReceivedResponse::type, Collectors.counting()));
        assertThat(responsesPerType).as("%d changes collapse into a few responses", CHANGES)
                .containsOnlyKeys(XdsType.CLUSTER, XdsType.ENDPOINT, XdsType.ROUTE)
                .allSatisfy((type, count) -> assertThat(count).isLessThanOrEqualTo(3));
    }

    /** Small responses pass flow control; what holds them back is the ACK the client has not sent. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aTypeAwaitingItsAckGetsNoFurtherResponseHoweverManySmallChangesCome(Mode mode) throws Exception {
        XdsClient client = bed.connect(mode);
        bed.awaitStoreState(client);
        AdsTestBed.eventually("every response acknowledged",
                () -> bed.serverView("envoy-1").unacknowledgedResponses() == 0);
        int mark = client.responses().size();

        client.pauseReading();
        bed.put(route("http", "*", "c1"));
        AdsTestBed.await(client, "the client stopped reading", s -> s.unreadResponses() == 1);
        for (int i = 0; i < 200; i++) {
            ClientSnapshot before = bed.serverView("envoy-1");
            bed.put(endpoints("c" + (i % 10), 9000 + i, 3));
            AdsTestBed.eventually("a push pass ran", () -> bed.serverView("envoy-1") != before);
        }
        client.resumeReading();

        bed.awaitStoreState(client);
        assertThat(since(client, mark)).filteredOn(r -> r.type() == XdsType.ENDPOINT)
                .as("one response while the client did not answer, one with the latest state after")
                .hasSizeLessThanOrEqualTo(2);
        assertThat(bed.serverView("envoy-1").maxUnacknowledgedResponses()).isLessThanOrEqualTo(ResourceType.values().length);
    }
}
