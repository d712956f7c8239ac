package io.shardgate.translator.envoy;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.shardgate.translator.input.GatewayLayout;

/** The two listeners: HTTPS (a filter chain per domain, chosen by SNI) and plain HTTP (one chain). */
final class Listeners {
    /** Envoy's edge best practice: bound per-connection buffering. */
    private static final UInt32Value CONNECTION_BUFFER_LIMIT = UInt32Value.of(32 * 1024);

    private Listeners() {}

    /**
     * The HTTPS listener's composite header: without filter chains (classic), or with the one chain that serves every
     * exact domain by SNI (scoped); the domains' own chains follow it.
     */
    static Listener httpsHeader(Packer packer, int port, GatewayLayout layout) {
        Listener.Builder listener = httpsHeader(packer, port).toBuilder();
        if (layout == GatewayLayout.SCOPED) {
            listener.addFilterChains(Scopes.onDemandChain(packer, httpConnectionManager(packer,
                    HttpConnectionManagers.overScopedRoutes(packer, "https", Scopes.https(), Scopes.sniHeader(packer)))));
        }
        return listener.build();
    }

    /** The HTTPS listener without filter chains. */
    static Listener httpsHeader(Packer packer, int port) {
        return Listener.newBuilder()
                .setName(EnvoyNames.HTTPS_LISTENER)
                .setAddress(anyAddress(port))
                .setPerConnectionBufferLimitBytes(CONNECTION_BUFFER_LIMIT)
                .addListenerFilters(ListenerFilter.newBuilder()
                        .setName("envoy.filters.listener.tls_inspector")
                        .setTypedConfig(packer.pack(TlsInspector.getDefaultInstance())))
                .build();
    }

    /** One domain's HTTPS chain: matched by SNI, certificate over SDS, routes over RDS. */
    static FilterChain httpsChain(Packer packer, String host, String secretName) {
        DownstreamTlsContext tls = DownstreamTlsContext.newBuilder()
                .setCommonTlsContext(CommonTlsContext.newBuilder()
                        .addAlpnProtocols("h2")
                        .addAlpnProtocols("http/1.1")
                        .addTlsCertificateSdsSecretConfigs(SdsSecretConfig.newBuilder()
                                .setName(secretName)
                                .setSdsConfig(ConfigSources.ADS)))
                .build();
        return FilterChain.newBuilder()
                .setName(host)
                .setFilterChainMatch(FilterChainMatch.newBuilder().addServerNames(host))
                .setTransportSocket(TransportSocket.newBuilder()
                        .setName("envoy.transport_sockets.tls")
                        .setTypedConfig(packer.pack(tls)))
                .addFilters(httpConnectionManager(packer, "https", EnvoyNames.httpsRouteConfiguration(host)))
                .build();
    }

    /** Plain HTTP: routes from the one route configuration (classic) or by scope (scoped). */
    static Listener http(Packer packer, int port, GatewayLayout layout) {
        HttpConnectionManager hcm = switch (layout) {
            case CLASSIC -> HttpConnectionManagers.overRds(packer, "http", EnvoyNames.HTTP_ROUTE_CONFIGURATION);
            case SCOPED -> HttpConnectionManagers.overScopedRoutes(packer, "http", Scopes.http());
        };
        return Listener.newBuilder()
                .setName(EnvoyNames.HTTP_LISTENER)
                .setAddress(anyAddress(port))
                .setPerConnectionBufferLimitBytes(CONNECTION_BUFFER_LIMIT)
                .addFilterChains(FilterChain.newBuilder()
                        .setName(EnvoyNames.HTTP_LISTENER)
                        .addFilters(httpConnectionManager(packer, hcm)))
                .build();
    }

    private static Filter httpConnectionManager(Packer packer, String statPrefix, String routeConfigName) {
        return httpConnectionManager(packer, HttpConnectionManagers.overRds(packer, statPrefix, routeConfigName));
    }

    private static Filter httpConnectionManager(Packer packer, HttpConnectionManager hcm) {
        return Filter.newBuilder()
                .setName("envoy.filters.network.http_connection_manager")
                .setTypedConfig(packer.pack(hcm))
                .build();
    }

    private static Address anyAddress(int port) {
        return Address.newBuilder()
                .setSocketAddress(SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(port))
                .build();
    }
}
