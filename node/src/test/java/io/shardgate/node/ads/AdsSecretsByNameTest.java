package io.shardgate.node.ads;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.shardgate.xdsclient.BareAds;
import io.shardgate.xdsclient.XdsType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Over a real gRPC stream: a key is sent only to a stream that names its Secret, never for a wildcard. */
class AdsSecretsByNameTest extends StandardShardTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void sotwWildcardOrEmptySecretRequestsGetNoKeyAndANamedOneGetsOnlyThatKey() throws Exception {
        try (BareAds ads = new BareAds(bed.server.port())) {
            var stream = ads.sotw();
            var node = BareAds.node("envoy-0", AdsTestBed.GATEWAY);
            stream.send(BareAds.sotw(node, XdsType.SECRET, "", List.of("*")));
            DiscoveryResponse wildcard = stream.awaitResponse(1, WAIT);
            assertThat(wildcard.getResourcesCount()).as("keys sent for '*'").isZero();

            stream.send(BareAds.sotw(node, XdsType.SECRET, wildcard.getNonce(), List.of()));
            stream.send(BareAds.sotw(node, XdsType.SECRET, wildcard.getNonce(), List.of(StandardShard.CERT_A)));
            DiscoveryResponse named = stream.awaitResponse(2, WAIT);
            assertThat(named.getResourcesCount()).isEqualTo(1);
            assertThat(stream.responses()).as("no response gave a key that was not named").allSatisfy(r ->
                    assertThat(r.getResourcesCount()).isLessThanOrEqualTo(1));
        }
    }

    @Test
    void deltaWildcardSecretSubscriptionGetsNoKey() throws Exception {
        try (BareAds ads = new BareAds(bed.server.port())) {
            var stream = ads.delta();
            var node = BareAds.node("envoy-0", AdsTestBed.GATEWAY);
            stream.send(DeltaDiscoveryRequest.newBuilder().setNode(node).setTypeUrl(XdsType.SECRET.typeUrl())
                    .addResourceNamesSubscribe("*").build());
            stream.send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(XdsType.SECRET.typeUrl())
                    .addResourceNamesSubscribe(StandardShard.CERT_B).build());

            DeltaDiscoveryResponse first = stream.awaitResponse(1, WAIT);
            assertThat(first.getResourcesList()).extracting(Resource::getName)
                    .as("the first response answers the named Secret, the wildcard gave nothing")
                    .containsExactly(StandardShard.CERT_B);
        }
    }
}
