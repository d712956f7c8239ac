package io.shardgate.xdsclient;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReferencesTest {

    @Test
    void aListenerReferencesTheRouteConfigurationsAndCertificatesOfItsChains() {
        Listener listener = Listener.newBuilder()
                .setName("https")
                .addFilterChains(chain("route-a", "cert-a"))
                .addFilterChains(chain("route-b", "cert-b"))
                .build();

        var refs = new References().of(received(XdsType.LISTENER, "https", listener));

        assertThat(refs.get(XdsType.ROUTE)).containsExactlyInAnyOrder("route-a", "route-b");
        assertThat(refs.get(XdsType.SECRET)).containsExactlyInAnyOrder("cert-a", "cert-b");
        assertThat(refs.get(XdsType.ENDPOINT)).isEmpty();
        assertThat(ResourceNames.nameOf(listener.toByteString())).isEqualTo("https");
    }

    @Test
    void aNewListenerVersionReferencesWhatItsChainsNowNameWhetherReadBeforeOrNot() {
        References references = new References();
        references.of(received(XdsType.LISTENER, "https", Listener.newBuilder().setName("https")
                .addFilterChains(chain("route-a", "cert-a")).addFilterChains(chain("route-b", "cert-b")).build()));

        var refs = references.of(received(XdsType.LISTENER, "https", Listener.newBuilder().setName("https")
                .addFilterChains(chain("route-a", "cert-a")).addFilterChains(chain("route-c", "cert-b")).build()));
        assertThat(refs.get(XdsType.ROUTE)).containsExactlyInAnyOrder("route-a", "route-c");
        assertThat(refs.get(XdsType.SECRET)).containsExactlyInAnyOrder("cert-a", "cert-b");

        references.forgetListener("https");
        refs = references.of(received(XdsType.LISTENER, "https", Listener.newBuilder().setName("https")
                .addFilterChains(chain("route-b", "cert-c")).build()));
        assertThat(refs.get(XdsType.ROUTE)).containsExactly("route-b");
        assertThat(refs.get(XdsType.SECRET)).containsExactly("cert-c");
    }

    @Test
    void anEdsClusterReferencesItsServiceNameOrElseItsOwnName() {
        Cluster named = Cluster.newBuilder().setName("a").setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setServiceName("svc-a")).build();
        Cluster unnamed = Cluster.newBuilder().setName("b").setType(Cluster.DiscoveryType.EDS).build();
        Cluster dns = Cluster.newBuilder().setName("c").setType(Cluster.DiscoveryType.STRICT_DNS).build();

        assertThat(new References().of(received(XdsType.CLUSTER, "a", named)).get(XdsType.ENDPOINT)).containsExactly("svc-a");
        assertThat(new References().of(received(XdsType.CLUSTER, "b", unnamed)).get(XdsType.ENDPOINT)).containsExactly("b");
        assertThat(new References().of(received(XdsType.CLUSTER, "c", dns)).get(XdsType.ENDPOINT)).isEmpty();
    }

    @Test
    void theIndexReportsOnlyNamesThatGainTheirFirstOrLoseTheirLastReference() {
        ReferenceIndex index = new ReferenceIndex();
        Set<String> added = new HashSet<>();
        Set<String> removed = new HashSet<>();
        index.set("listener/a", Set.of("r1", "shared"), added, removed);
        index.set("listener/b", Set.of("shared"), added, removed);
        assertThat(added).containsExactlyInAnyOrder("r1", "shared");

        added.clear();
        index.set("listener/a", Set.of(), added, removed);
        assertThat(removed).containsExactly("r1");
        assertThat(index.names()).containsExactly("shared");
    }

    private static FilterChain chain(String route, String cert) {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setRds(Rds.newBuilder().setRouteConfigName(route)).build();
        DownstreamTlsContext tls = DownstreamTlsContext.newBuilder()
                .setCommonTlsContext(CommonTlsContext.newBuilder()
                        .addTlsCertificateSdsSecretConfigs(SdsSecretConfig.newBuilder().setName(cert)))
                .build();
        return FilterChain.newBuilder()
                .addFilters(Filter.newBuilder().setName("hcm").setTypedConfig(Any.pack(hcm)))
                .setTransportSocket(TransportSocket.newBuilder().setName("tls").setTypedConfig(Any.pack(tls)))
                .build();
    }

    private static ReceivedResource received(XdsType type, String name, Message message) {
        return new ReceivedResource(type, name, "1", message.toByteString(), 0, "1");
    }
}
