package io.shardgate.node.ads;

import static io.shardgate.node.ads.AdsTestBed.await;
import static io.shardgate.node.ads.EnvoyResources.cluster;
import static io.shardgate.node.ads.EnvoyResources.endpoints;
import static io.shardgate.node.ads.EnvoyResources.httpsListener;
import static io.shardgate.node.ads.EnvoyResources.route;
import static io.shardgate.node.ads.EnvoyResources.secret;
import static io.shardgate.node.ads.StandardShard.A;
import static io.shardgate.node.ads.StandardShard.B;
import static io.shardgate.node.ads.StandardShard.ROUTE_A;
import static io.shardgate.node.ads.StandardShard.ROUTE_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.shardgate.translator.resource.ContentHash;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.ReceivedResponse;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client converges on the store and then receives exactly what changes, in both protocols. To show that
 * nothing else was sent, a test ends with a change to a secret and waits for it: SDS comes last in every
 * push pass, so anything a previous change caused has arrived before it.
 */
class AdsConvergenceTest extends StandardShardTest {
    @ParameterizedTest
    @EnumSource(Mode.class)
    void theInitialStateIsExactlyTheStore(Mode mode) throws Exception {
        XdsClient client = bed.connect(mode);

        bed.awaitStoreState(client);

        assertThat(client.resources(XdsType.ROUTE)).containsOnlyKeys(ROUTE_A, ROUTE_B, "http");
        if (mode == Mode.DELTA) {
            for (ResourceType type : ResourceType.values()) {
                for (XdsResource r : bed.store().all(type)) {
                    assertThat(client.resource(AdsTestBed.xdsType(type), r.name()).version()).isEqualTo(r.version());
                }
            }
        }
        String nodeId = "envoy-1";
        AdsTestBed.eventually("every response acknowledged", () -> bed.serverView(nodeId).types().size() == 5
                && bed.serverView(nodeId).types().values().stream().noneMatch(t -> t.awaitingAck()));
        ClientSnapshot seen = bed.serverView(nodeId);
        assertThat(seen.gateway()).isEqualTo(AdsTestBed.GATEWAY);
        assertThat(seen.shard()).isZero();
        assertThat(seen.protocol().name()).isEqualTo(mode.name());
        assertThat(seen.types().get(ResourceType.ROUTE).subscribedNames()).isEqualTo(3);
        assertThat(seen.types().get(ResourceType.LISTENER).wildcard()).isTrue();
        // The version of a full set is the store's own type hash, the same on every node.
        assertThat(seen.types().get(ResourceType.CLUSTER).lastAckedVersion())
                .isEqualTo(ContentHash.hex(bed.store().typeHash(ResourceType.CLUSTER)));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anUpdateSendsOnlyTheChangedResource(Mode mode) throws Exception {
        XdsClient client = bed.connect(mode);
        bed.awaitStoreState(client);
        int mark = client.responses().size();

        XdsResource changedRoute = route(ROUTE_A, A, "svc-b");
        XdsResource changedEndpoints = endpoints("svc-a", 9090, 2);
        bed.put(changedRoute);
        bed.put(changedEndpoints);

        assertThat(bed.responsesSettledSince(client, mark)).extracting(ReceivedResponse::type, ReceivedResponse::resources)
                .containsExactlyInAnyOrder(tuple(XdsType.ROUTE, List.of(ROUTE_A)), tuple(XdsType.ENDPOINT, List.of("svc-a")));
        assertThat(client.resource(XdsType.ROUTE, ROUTE_A).body()).isEqualTo(changedRoute.body());
        assertThat(client.resource(XdsType.ENDPOINT, "svc-a").body()).isEqualTo(changedEndpoints.body());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aChangedClusterResendsTheClusterSetInSotwAndOnlyTheClusterInDelta(Mode mode) throws Exception {
        XdsClient client = bed.connect(mode);
        bed.awaitStoreState(client);
        int mark = client.responses().size();

        XdsResource changed = cluster("svc-b", 10);
        bed.put(changed);

        List<ReceivedResponse> responses = bed.responsesSettledSince(client, mark);
        assertThat(client.resource(XdsType.CLUSTER, "svc-b").body()).isEqualTo(changed.body());
        assertThat(responses).extracting(ReceivedResponse::type).containsExactly(XdsType.CLUSTER);
        assertThat(responses.get(0).resources())
                .containsExactlyInAnyOrderElementsOf(mode == Mode.SOTW ? List.of("svc-a", "svc-b") : List.of("svc-b"));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aNewReferenceIsSubscribedAndOnlyTheNewResourcesAreSent(Mode mode) throws Exception {
        XdsClient client = bed.connect(mode);
        bed.awaitStoreState(client);
        int mark = client.responses().size();

        String c = "c.example.com";
        bed.put(httpsListener("https", A, B, c), route("https-" + c, c, "svc-a"), secret("cert-" + c, "certificate of c"));
        bed.awaitStoreState(client);

        List<ReceivedResponse> responses = bed.responsesSettledSince(client, mark);
        assertThat(responses).filteredOn(r -> r.type() == XdsType.ROUTE)
                .allSatisfy(r -> assertThat(r.resources()).containsOnly("https-" + c))
                .isNotEmpty();
        assertThat(responses).filteredOn(r -> r.type() == XdsType.SECRET)
                .allSatisfy(r -> assertThat(r.resources()).containsOnly("cert-" + c))
                .isNotEmpty();
        assertThat(responses).extracting(ReceivedResponse::type).doesNotContain(XdsType.CLUSTER, XdsType.ENDPOINT);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aDeletedClusterIsRemovedFromTheClient(Mode mode) throws Exception {
        XdsClient client = bed.connect(mode);
        bed.awaitStoreState(client);
        int mark = client.responses().size();

        bed.remove(ResourceType.CLUSTER, "svc-b");
        bed.remove(ResourceType.ENDPOINT, "svc-b");
        bed.awaitStoreState(client);

        assertThat(client.resources(XdsType.CLUSTER)).containsOnlyKeys("svc-a");
        assertThat(client.resources(XdsType.ENDPOINT)).containsOnlyKeys("svc-a");
        ReceivedResponse clusters = bed.responsesSettledSince(client, mark).stream().filter(r -> r.type() == XdsType.CLUSTER).findFirst().orElseThrow();
        if (mode == Mode.DELTA) {
            assertThat(clusters.removed()).containsExactly("svc-b");
            assertThat(clusters.resources()).isEmpty();
        } else {
            assertThat(clusters.resources()).containsExactly("svc-a");
        }
    }

    @Test
    void aDeletedRouteConfigurationIsReportedRemovedInDelta() throws Exception {
        XdsClient client = bed.connect(Mode.DELTA);
        bed.awaitStoreState(client);
        int mark = client.responses().size();

        bed.remove(ResourceType.ROUTE, ROUTE_B);
        await(client, "the route is gone", s -> s.resource(XdsType.ROUTE, ROUTE_B) == null);

        assertThat(bed.responsesSettledSince(client, mark))
                .extracting(ReceivedResponse::type, ReceivedResponse::resources, ReceivedResponse::removed)
                .containsExactly(tuple(XdsType.ROUTE, List.of(), List.of(ROUTE_B)));
    }
}
