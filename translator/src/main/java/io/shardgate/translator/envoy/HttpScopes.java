package io.shardgate.translator.envoy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.ScopedRouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.ScopedRds;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.ScopedRoutes.ScopeKeyBuilder;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.ScopedRoutes.ScopeKeyBuilder.FragmentBuilder;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.ScopedRoutes.ScopeKeyBuilder.FragmentBuilder.HeaderValueExtractor;
import io.shardgate.translator.resource.Part;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The plain-HTTP side of the scoped layout (docs/envoy.md): the connection manager selects a scope by the whole
 * Host header, port stripped; each domain is one scope naming one route configuration that holds the domain's
 * virtual host, both named {@code http/<host>}. Envoy matches scope keys exactly (a hash of the bytes), so only
 * exact hosts have scopes.
 */
final class HttpScopes {
    private HttpScopes() {}

    /** The connection manager's scoped routes: SRDS and its RDS over the ADS stream, keyed by Host. */
    static io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.ScopedRoutes http() {
        return io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.ScopedRoutes.newBuilder()
                .setName(EnvoyNames.HTTP_SCOPED_ROUTES)
                .setScopeKeyBuilder(ScopeKeyBuilder.newBuilder()
                        .addFragments(FragmentBuilder.newBuilder()
                                .setHeaderValueExtractor(HeaderValueExtractor.newBuilder().setName(":authority").setIndex(0))))
                .setRdsConfigSource(ConfigSources.ADS)
                .setScopedRds(ScopedRds.newBuilder().setScopedRdsConfigSource(ConfigSources.ADS))
                .build();
    }

    /** A domain's scope: its host as the key, naming the route configuration {@link #routeConfiguration} builds. */
    static ScopedRouteConfiguration scope(String host) {
        String name = EnvoyNames.httpScope(host);
        return ScopedRouteConfiguration.newBuilder()
                .setName(name)
                .setRouteConfigurationName(name)
                .setKey(ScopedRouteConfiguration.Key.newBuilder()
                        .addFragments(ScopedRouteConfiguration.Key.Fragment.newBuilder().setStringKey(host)))
                .build();
    }

    /** The route configuration's header: its name only; the domain's virtual host follows it as field 2. */
    static RouteConfiguration routeConfigurationHeader(String host) {
        return RouteConfiguration.newBuilder().setName(EnvoyNames.httpScope(host)).build();
    }

    /**
     * The header's bytes followed by the virtual host as a length-delimited field: the same bytes protobuf writes
     * for the whole message, without decoding the cached virtual host again.
     */
    static ByteString routeConfiguration(ByteString header, Part virtualHost) {
        ByteString body = virtualHost.body();
        int field = RouteConfiguration.VIRTUAL_HOSTS_FIELD_NUMBER;
        byte[] prefix = new byte[CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(body.size())];
        CodedOutputStream out = CodedOutputStream.newInstance(prefix);
        try {
            out.writeTag(field, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(body.size());
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return header.concat(ByteString.copyFrom(prefix)).concat(body);
    }
}
