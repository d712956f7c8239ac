package io.shardgate.node.ads;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;

/** Small, real Envoy resources for ADS tests, built with the protos (no translator involved). */
final class EnvoyResources {
    private static final ConfigSource ADS = ConfigSource.newBuilder()
            .setAds(AggregatedConfigSource.getDefaultInstance())
            .setResourceApiVersion(ApiVersion.V3)
            .build();

    private EnvoyResources() {}

    /** An HTTPS listener with one chain per domain: each names its route configuration (RDS) and certificate (SDS). */
    static XdsResource httpsListener(String name, String... domains) {
        Listener.Builder listener = Listener.newBuilder().setName(name).setAddress(address("0.0.0.0", 8443));
        for (String domain : domains) {
            listener.addFilterChains(FilterChain.newBuilder()
                    .setFilterChainMatch(FilterChainMatch.newBuilder().addServerNames(domain))
                    .addFilters(httpConnectionManager("https-" + domain))
                    .setTransportSocket(TransportSocket.newBuilder()
                            .setName("envoy.transport_sockets.tls")
                            .setTypedConfig(Any.pack(DownstreamTlsContext.newBuilder()
                                    .setCommonTlsContext(CommonTlsContext.newBuilder()
                                            .addTlsCertificateSdsSecretConfigs(SdsSecretConfig.newBuilder()
                                                    .setName("cert-" + domain)
                                                    .setSdsConfig(ADS)))
                                    .build()))));
        }
        return resource(ResourceType.LISTENER, name, listener.build());
    }

    /** A plain-HTTP listener whose single chain uses route configuration {@code routeConfig}. */
    static XdsResource httpListener(String name, String routeConfig) {
        Listener listener = Listener.newBuilder()
                .setName(name)
                .setAddress(address("0.0.0.0", 8080))
                .addFilterChains(FilterChain.newBuilder().addFilters(httpConnectionManager(routeConfig)))
                .build();
        return resource(ResourceType.LISTENER, name, listener);
    }

    static XdsResource route(String name, String domain, String cluster) {
        RouteConfiguration route = RouteConfiguration.newBuilder()
                .setName(name)
                .addVirtualHosts(VirtualHost.newBuilder()
                        .setName(domain)
                        .addDomains(domain)
                        .addRoutes(Route.newBuilder()
                                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                .setRoute(RouteAction.newBuilder().setCluster(cluster))))
                .build();
        return resource(ResourceType.ROUTE, name, route);
    }

    /** An EDS cluster; {@code padding} bytes of metadata make it as big as a test needs. */
    static XdsResource cluster(String name, int padding) {
        Cluster.Builder cluster = Cluster.newBuilder()
                .setName(name)
                .setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS).setServiceName(name));
        if (padding > 0) {
            cluster.setMetadata(Metadata.newBuilder().putFilterMetadata("test", Struct.newBuilder()
                    .putFields("padding", Value.newBuilder().setStringValue("x".repeat(padding)).build())
                    .build()));
        }
        return resource(ResourceType.CLUSTER, name, cluster.build());
    }

    static XdsResource cluster(String name) {
        return cluster(name, 0);
    }

    /** The endpoints of cluster {@code name}: {@code hosts} addresses 10.0.0.1.. on {@code port}. */
    static XdsResource endpoints(String name, int port, int hosts) {
        LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
        for (int i = 1; i <= hosts; i++) {
            locality.addLbEndpoints(LbEndpoint.newBuilder()
                    .setEndpoint(Endpoint.newBuilder().setAddress(address("10.0." + (i / 250) + "." + (i % 250 + 1), port))));
        }
        return resource(ResourceType.ENDPOINT, name,
                ClusterLoadAssignment.newBuilder().setClusterName(name).addEndpoints(locality).build());
    }

    static XdsResource secret(String name, String certificate) {
        Secret secret = Secret.newBuilder()
                .setName(name)
                .setTlsCertificate(TlsCertificate.newBuilder()
                        .setCertificateChain(DataSource.newBuilder().setInlineString(certificate))
                        .setPrivateKey(DataSource.newBuilder().setInlineString("key of " + certificate)))
                .build();
        return resource(ResourceType.SECRET, name, secret);
    }

    private static Filter httpConnectionManager(String routeConfig) {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setStatPrefix("ingress")
                .setRds(Rds.newBuilder().setRouteConfigName(routeConfig).setConfigSource(ADS))
                .build();
        return Filter.newBuilder().setName("envoy.filters.network.http_connection_manager").setTypedConfig(Any.pack(hcm)).build();
    }

    private static Address address(String ip, int port) {
        return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port)).build();
    }

    private static XdsResource resource(ResourceType type, String name, Message message) {
        return XdsResource.of(type, name, message.toByteString());
    }
}
