package io.shardgate.translator.envoy;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import java.util.List;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.ScopedRoutes;

/** The HTTP connection manager every chain uses: routes over RDS/ADS, edge-proxy defaults. */
final class HttpConnectionManagers {

    private HttpConnectionManagers() {}

    /**
     * Edge settings that make Envoy behave like ingress-nginx where clients can tell: the client address
     * is the peer (use_remote_address), paths are normalised before matching, a port in the Host header
     * does not defeat the virtual host match, and headers with underscores are dropped.
     *
     * @param statPrefix shared by all domains: per-domain stats would not scale to 100k domains
     */
    static HttpConnectionManager overRds(Packer packer, String statPrefix, String routeConfigName) {
        return edge(packer, statPrefix)
                .setRds(Rds.newBuilder()
                        .setConfigSource(ConfigSources.ADS)
                        .setRouteConfigName(routeConfigName))
                .build();
    }

    /**
     * The same edge settings, routes chosen by scope. {@code strip_any_host_port} matters more here: Envoy selects
     * the scope again after normalising the Host, so "example.com:8080" finds the scope of "example.com".
     */
    static HttpConnectionManager overScopedRoutes(Packer packer, String statPrefix, ScopedRoutes scopedRoutes,
            TypedExtensionConfig... earlyMutations) {
        return edge(packer, statPrefix).setScopedRoutes(scopedRoutes).addAllEarlyHeaderMutationExtensions(List.of(earlyMutations)).build();
    }

    private static HttpConnectionManager.Builder edge(Packer packer, String statPrefix) {
        return HttpConnectionManager.newBuilder()
                .setStatPrefix(statPrefix)
                .setCodecType(HttpConnectionManager.CodecType.AUTO)
                .addHttpFilters(HttpFilter.newBuilder()
                        .setName("envoy.filters.http.router")
                        .setTypedConfig(packer.pack(Router.getDefaultInstance())))
                .setUseRemoteAddress(BoolValue.of(true))
                .setNormalizePath(BoolValue.of(true))
                .setMergeSlashes(true)
                .setStripAnyHostPort(true)
                .setCommonHttpProtocolOptions(HttpProtocolOptions.newBuilder()
                        .setHeadersWithUnderscoresAction(HttpProtocolOptions.HeadersWithUnderscoresAction.DROP_HEADER));
    }
}
