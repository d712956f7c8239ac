package io.shardgate.node.ads;

import static io.shardgate.node.ads.AdsTestBed.await;
import static io.shardgate.node.ads.EnvoyResources.httpListener;
import static io.shardgate.node.ads.EnvoyResources.httpsListener;
import static io.shardgate.node.ads.EnvoyResources.route;
import static io.shardgate.node.ads.StandardShard.A;
import static io.shardgate.node.ads.StandardShard.B;
import static io.shardgate.node.ads.StandardShard.ROUTE_A;
import static io.shardgate.node.ads.StandardShard.ROUTE_B;
import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.sharding.ShardId;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.ReceivedResponse;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A rejected version is never sent again; the client keeps its previous one; the next version goes out. */
class AdsNackTest extends StandardShardTest {
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRejectedRouteIsNotSentAgainUntilItChanges(Mode mode) throws Exception {
        XdsClient client = bed.connect(mode);
        bed.awaitStoreState(client);
        XdsResource accepted = bed.store().get(ResourceType.ROUTE, ROUTE_A);
        XdsResource bad = route(ROUTE_A, A, "no-such-cluster");
        client.rejectWhen(r -> r.body().equals(bad.body()));

        bed.put(bad);
        await(client, "the client NACKs", s -> s.nacksSent() == 1);
        AdsTestBed.eventually("the server got the NACK", () -> bed.nacks.size() == 1);
        assertThat(client.resource(XdsType.ROUTE, ROUTE_A).body()).isEqualTo(accepted.body());
        assertThat(bed.nacks).singleElement().satisfies(nack -> {
            assertThat(nack.nodeId()).isEqualTo("envoy-1");
            assertThat(nack.shard()).isEqualTo(new ShardId(AdsTestBed.GATEWAY, 0));
            assertThat(nack.type()).isEqualTo(ResourceType.ROUTE);
            assertThat(nack.rejectedVersions()).isEqualTo(Map.of(ROUTE_A, bad.version()));
            assertThat(nack.errorMessage()).contains(ROUTE_A + ": rejected");
        });

        int mark = client.responses().size();
        XdsResource otherChange = route(ROUTE_B, B, "svc-a");
        bed.put(otherChange);
        List<ReceivedResponse> after = bed.responsesSettledSince(client, mark);
        assertThat(after).filteredOn(r -> r.type() == XdsType.ROUTE).singleElement()
                .satisfies(r -> assertThat(r.resources()).containsExactly(ROUTE_B));
        assertThat(client.resource(XdsType.ROUTE, ROUTE_A).body()).isEqualTo(accepted.body());

        XdsResource fixed = route(ROUTE_A, A, "svc-b");
        bed.put(fixed);
        await(client, "the next version arrives", s -> s.resource(XdsType.ROUTE, ROUTE_A).body().equals(fixed.body()));
        assertThat(client.responses()).filteredOn(ReceivedResponse::nacked).hasSize(1);
        AdsTestBed.eventually("the server forgets the rejection once a new version is acknowledged",
                () -> bed.serverView("envoy-1").types().get(ResourceType.ROUTE).rejectedVersions() == 0);
        assertThat(bed.serverView("envoy-1").types().get(ResourceType.ROUTE).nacks()).isEqualTo(1);
        assertThat(bed.metrics.nacks).hasValue(1);
    }

    /**
     * SotW LDS responses carry every listener: the rejected one must go out at the version the client kept,
     * neither left out (the client would delete it) nor at the rejected version (it would be rejected again).
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRejectedListenerStaysAtTheClientsVersionWhenAnotherListenerChanges(Mode mode) throws Exception {
        XdsClient client = bed.connect(mode);
        bed.awaitStoreState(client);
        XdsResource accepted = bed.store().get(ResourceType.LISTENER, "https");
        XdsResource bad = httpsListener("https", A, B, "c.example.com");
        client.rejectWhen(r -> r.body().equals(bad.body()));

        bed.put(bad);
        await(client, "the client NACKs", s -> s.nacksSent() == 1);
        AdsTestBed.eventually("the server got the NACK", () -> bed.nacks.size() == 1);

        XdsResource otherListener = httpListener("http", ROUTE_A);
        bed.put(otherListener);
        await(client, "the other listener arrives", s -> s.resource(XdsType.LISTENER, "http").body().equals(otherListener.body()));

        assertThat(client.resource(XdsType.LISTENER, "https").body()).isEqualTo(accepted.body());
        assertThat(client.responses()).filteredOn(ReceivedResponse::nacked).hasSize(1);
        assertThat(bed.nacks).singleElement()
                .satisfies(nack -> assertThat(nack.rejectedVersions()).isEqualTo(Map.of("https", bad.version())));
    }

    /** Envoy applies the valid resources of a NACKed response; only those it names are held back. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void onlyTheResourcesTheErrorNamesAreTakenAsRejected(Mode mode) throws Exception {
        XdsClient client = bed.connect(mode);
        bed.awaitStoreState(client);
        XdsResource bad = route(ROUTE_A, A, "no-such-cluster");
        XdsResource good = route(ROUTE_B, B, "svc-a");
        client.rejectWhen(r -> r.body().equals(bad.body()));

        bed.put(bad, good);
        await(client, "the client NACKs", s -> s.nacksSent() == 1);
        AdsTestBed.eventually("the server got the NACK", () -> bed.nacks.size() == 1);

        assertThat(client.resource(XdsType.ROUTE, ROUTE_B).body()).isEqualTo(good.body());
        assertThat(bed.nacks).singleElement()
                .satisfies(nack -> assertThat(nack.rejectedVersions()).containsOnlyKeys(ROUTE_A));
        AdsTestBed.eventually("the server holds the accepted one as the client's",
                () -> bed.serverView("envoy-1").types().get(ResourceType.ROUTE).rejectedVersions() == 1);
    }
}
