package io.shardgate.node.ads;

import static io.shardgate.node.ads.AdsTestBed.since;
import static io.shardgate.node.ads.EnvoyResources.route;
import static io.shardgate.node.ads.StandardShard.A;
import static io.shardgate.node.ads.StandardShard.ROUTE_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.ReceivedResponse;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Delta client that reconnects (another node, a restart) gets only what changed while it was away. */
class AdsDeltaReconnectTest extends StandardShardTest {
    @Test
    void aReconnectingClientGetsOnlyWhatChangedAndRemovalsOfWhatWentAway() throws Exception {
        XdsClient client = bed.connect(Mode.DELTA);
        bed.awaitStoreState(client);

        client.pauseReading(); // what happens now is what the client misses
        XdsResource changed = route(ROUTE_A, A, "svc-b");
        bed.put(changed);
        bed.remove(ResourceType.CLUSTER, "svc-b");
        bed.remove(ResourceType.ENDPOINT, "svc-b");
        int mark = client.responses().size();
        client.reconnect();
        client.resumeReading();

        bed.awaitStoreState(client);
        List<ReceivedResponse> after = since(client, mark);
        assertThat(after).flatExtracting(ReceivedResponse::resources).containsExactly(ROUTE_A);
        assertThat(after).filteredOn(r -> r.type() == XdsType.CLUSTER).singleElement()
                .satisfies(r -> assertThat(r.removed()).containsExactly("svc-b"));
        assertThat(after).extracting(ReceivedResponse::type).doesNotContain(XdsType.LISTENER, XdsType.SECRET);
        assertThat(client.resource(XdsType.ROUTE, ROUTE_A).version()).isEqualTo(changed.version());
        AdsTestBed.eventually("only the new stream is left", () -> bed.server.clients().size() == 1);
    }

    @Test
    void aReconnectingClientThatIsUpToDateIsSentNothing() throws Exception {
        XdsClient client = bed.connect(Mode.DELTA);
        bed.awaitStoreState(client);
        int mark = client.responses().size();

        client.reconnect();
        AdsTestBed.eventually("the new stream has subscribed to every type", () -> bed.server.clients().stream()
                .anyMatch(c -> c.types().size() == 5
                        && c.types().values().stream().allMatch(t -> t.heldResources() > 0)
                        && c.types().values().stream().allMatch(t -> t.responsesSent() == 0)));

        assertThat(bed.responsesSettledSince(client, mark)).isEmpty();
    }

    /** As an Envoy whose ADS cluster has several hosts: it resumes on another server with what it holds. */
    @Test
    void aClientThatMovesToAnotherServerGetsOnlyWhatDiffersThere() throws Exception {
        XdsClient client = bed.connect(Mode.DELTA);
        bed.awaitStoreState(client);
        AdsTestBed other = new AdsTestBed();
        try {
            StandardShard.serve(other);
            XdsResource changed = route(ROUTE_A, A, "svc-b");
            other.put(changed);
            int mark = client.responses().size();

            client.reconnectTo("127.0.0.1", other.server.port());

            other.awaitStoreState(client);
            List<ReceivedResponse> after = since(client, mark);
            assertThat(after).flatExtracting(ReceivedResponse::resources).containsExactly(ROUTE_A);
            assertThat(after).extracting(ReceivedResponse::type).doesNotContain(XdsType.LISTENER, XdsType.SECRET);
            AdsTestBed.eventually("the first server has no stream left", () -> bed.server.clients().isEmpty());
            assertThat(other.server.clients()).hasSize(1);
        } finally {
            other.close();
        }
    }
}
