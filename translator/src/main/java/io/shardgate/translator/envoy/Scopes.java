package io.shardgate.translator.envoy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.envoyproxy.envoy.config.common.mutation_rules.v3.HeaderMutation;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.ScopedRouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.ScopedRds;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.ScopedRoutes;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.ScopedRoutes.ScopeKeyBuilder;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.ScopedRoutes.ScopeKeyBuilder.FragmentBuilder;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.ScopedRoutes.ScopeKeyBuilder.FragmentBuilder.HeaderValueExtractor;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.shardgate.translator.resource.Part;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The scoped layout (docs/envoy.md): connection managers that select a scope per request, and a scope per exact domain
 * naming the domain's own route configuration.
 *
 * <ul>
 *   <li>Plain HTTP selects by the whole Host header, port stripped; scope and route configuration are {@code http/<host>}.
 *   <li>HTTPS selects by the client's SNI, which an early header mutation copies into {@value #SNI_HEADER} (overwriting
 *       any value the client sent) before Envoy selects the scope. The scope {@code https/<host>} names the domain's
 *       HTTPS route configuration, whose catch-all virtual host answers 421 to a Host that is not the SNI's. One filter
 *       chain serves every exact domain's certificate, fetched by SNI on the handshake.
 * </ul>
 *
 * Envoy matches scope keys exactly (a hash of the bytes), so only exact hosts have scopes.
 */
final class Scopes {
    /** The request header HTTPS scopes are selected by; set from the SNI by Envoy, removed before forwarding. */
    static final String SNI_HEADER = "x-shardgate-sni";
    private static final int MISDIRECTED_REQUEST = 421;

    private Scopes() {}

    /** Plain HTTP's scoped routes: SRDS and its RDS over the ADS stream, keyed by Host. */
    static ScopedRoutes http() {
        return scopedRoutes(EnvoyNames.HTTP_SCOPED_ROUTES, ":authority");
    }

    /** HTTPS's scoped routes, keyed by the SNI header. */
    static ScopedRoutes https() {
        return scopedRoutes(EnvoyNames.HTTPS_SCOPED_ROUTES, SNI_HEADER);
    }

    private static ScopedRoutes scopedRoutes(String name, String header) {
        return ScopedRoutes.newBuilder()
                .setName(name)
                .setScopeKeyBuilder(ScopeKeyBuilder.newBuilder()
                        .addFragments(FragmentBuilder.newBuilder()
                                .setHeaderValueExtractor(HeaderValueExtractor.newBuilder().setName(header).setIndex(0))))
                .setRdsConfigSource(ConfigSources.ADS)
                .setScopedRds(ScopedRds.newBuilder().setScopedRdsConfigSource(ConfigSources.ADS))
                .build();
    }

    /** Writes the SNI into {@value #SNI_HEADER} before the scope is selected, replacing whatever the client sent. */
    static TypedExtensionConfig sniHeader(Packer packer) {
        return TypedExtensionConfig.newBuilder()
                .setName("envoy.http.early_header_mutation.header_mutation")
                .setTypedConfig(packer.pack(io.envoyproxy.envoy.extensions.http.early_header_mutation.header_mutation.v3.HeaderMutation
                        .newBuilder()
                        .addMutations(HeaderMutation.newBuilder().setAppend(HeaderValueOption.newBuilder()
                                .setHeader(HeaderValue.newBuilder().setKey(SNI_HEADER).setValue("%REQUESTED_SERVER_NAME%"))
                                .setAppendAction(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)))
                        .build()))
                .build();
    }

    /**
     * The HTTPS chain without {@code server_names}: its certificate comes by SNI from the on-demand selector, which
     * Envoy accepts only with session resumption off (the session ID would come from a context without certificates).
     */
    static FilterChain onDemandChain(Packer packer, Filter httpConnectionManager) {
        DownstreamTlsContext tls = DownstreamTlsContext.newBuilder()
                .setCommonTlsContext(CommonTlsContext.newBuilder()
                        .addAlpnProtocols("h2")
                        .addAlpnProtocols("http/1.1")
                        .setCustomTlsCertificateSelector(OnDemandCertificates.selector(packer)))
                .setDisableStatelessSessionResumption(true)
                .setDisableStatefulSessionResumption(true)
                .build();
        return FilterChain.newBuilder()
                .setName(EnvoyNames.HTTPS_SCOPED_ROUTES)
                .setTransportSocket(TransportSocket.newBuilder()
                        .setName("envoy.transport_sockets.tls")
                        .setTypedConfig(packer.pack(tls)))
                .addFilters(httpConnectionManager)
                .build();
    }

    /** A domain's scope: its host as the key, naming the route configuration of the same name. */
    static ScopedRouteConfiguration scope(String name, String host) {
        return ScopedRouteConfiguration.newBuilder()
                .setName(name)
                .setRouteConfigurationName(name)
                .setKey(ScopedRouteConfiguration.Key.newBuilder()
                        .addFragments(ScopedRouteConfiguration.Key.Fragment.newBuilder().setStringKey(host)))
                .build();
    }

    /**
     * A scoped domain's HTTPS routes: its virtual host, then a catch-all answering 421 Misdirected Request (a Host
     * that is not the connection's SNI: another tenant's, or a coalesced HTTP/2 connection's), without the SNI header.
     */
    static RouteConfiguration httpsRouteConfiguration(String host, VirtualHost domain) {
        return RouteConfiguration.newBuilder()
                .setName(EnvoyNames.httpsRouteConfiguration(host))
                .addVirtualHosts(domain)
                .addVirtualHosts(VirtualHost.newBuilder()
                        .setName("misdirected")
                        .addDomains("*")
                        .addRoutes(Route.newBuilder()
                                .setName("misdirected")
                                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                .setDirectResponse(DirectResponseAction.newBuilder().setStatus(MISDIRECTED_REQUEST))))
                .addRequestHeadersToRemove(SNI_HEADER)
                .build();
    }

    /** The plain-HTTP route configuration's header: its name only; the domain's virtual host follows as field 2. */
    static RouteConfiguration httpRouteConfigurationHeader(String host) {
        return RouteConfiguration.newBuilder().setName(EnvoyNames.httpScope(host)).build();
    }

    /**
     * The header's bytes followed by the virtual host as a length-delimited field: the same bytes protobuf writes
     * for the whole message, without decoding the cached virtual host again.
     */
    static ByteString httpRouteConfiguration(ByteString header, Part virtualHost) {
        return header.concat(lengthDelimited(RouteConfiguration.VIRTUAL_HOSTS_FIELD_NUMBER, virtualHost.body()));
    }

    /**
     * A Secret's bytes under another name: the name is field 1, written first, so the rest of the bytes (the
     * certificate and key) are shared with the original rather than copied per host.
     */
    static ByteString renamedSecret(ByteString secret, String name) {
        int skip = 0;
        try {
            var in = secret.newCodedInput();
            int tag = in.readTag();
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                in.skipField(tag);
                skip = in.getTotalBytesRead();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lengthDelimited(1, ByteString.copyFromUtf8(name)).concat(secret.substring(skip));
    }

    private static ByteString lengthDelimited(int field, ByteString body) {
        byte[] prefix = new byte[CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(body.size())];
        CodedOutputStream out = CodedOutputStream.newInstance(prefix);
        try {
            out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(body.size());
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteString.copyFrom(prefix).concat(body);
    }
}
