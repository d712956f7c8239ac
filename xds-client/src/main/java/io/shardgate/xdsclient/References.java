package io.shardgate.xdsclient;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.ScopedRouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The resources a listener or cluster makes Envoy subscribe to: route configurations named by HTTP connection
 * managers (RDS), secrets named by TLS contexts (SDS), and EDS cluster load assignments.
 *
 * <p>Like Envoy, which rebuilds only the filter chains of a new listener version that differ from the last
 * (in-place filter chain update), it decodes a chain's connection manager and TLS context only when their bytes
 * differ from every one in the previous version of the same listener. One per client; not thread-safe.
 */
final class References {
    private static final String HCM = "type.googleapis.com/" + HttpConnectionManager.getDescriptor().getFullName();
    private static final String DOWNSTREAM_TLS = "type.googleapis.com/" + DownstreamTlsContext.getDescriptor().getFullName();
    private static final String SCOPED_PREFIX = "scoped-routes:";
    private static final String UPSTREAM_TLS = "type.googleapis.com/" + UpstreamTlsContext.getDescriptor().getFullName();

    /** Listener name → the referenced names of each typed config (by its bytes) in its last version. */
    private final Map<String, Map<ByteString, List<String>>> lastListener = new HashMap<>();

    /** The names {@code resource} references, by referenced type (empty for types that reference nothing). */
    Map<XdsType, Set<String>> of(ReceivedResource resource) {
        Map<XdsType, Set<String>> refs = new EnumMap<>(XdsType.class);
        for (XdsType type : XdsClient.REFERENCED) refs.put(type, new HashSet<>());
        if (resource.type() == XdsType.LISTENER) ofListener(resource.name(), resource.message(), refs);
        if (resource.type() == XdsType.CLUSTER) ofCluster(resource.message(), refs);
        if (resource.type() == XdsType.SCOPED_ROUTE) {
            ScopedRouteConfiguration scope = resource.message();
            if (!scope.getRouteConfigurationName().isEmpty()) refs.get(XdsType.ROUTE).add(scope.getRouteConfigurationName());
        }
        return refs;
    }

    /** The listener is gone: forget what its chains referenced. */
    void forgetListener(String name) {
        lastListener.remove(name);
    }

    private void ofListener(String name, Listener listener, Map<XdsType, Set<String>> refs) {
        Map<ByteString, List<String>> previous = lastListener.getOrDefault(name, Map.of());
        Map<ByteString, List<String>> current = new HashMap<>();
        List<FilterChain> chains = new ArrayList<>(listener.getFilterChainsList());
        if (listener.hasDefaultFilterChain()) chains.add(listener.getDefaultFilterChain());
        for (FilterChain chain : chains) {
            for (Filter filter : chain.getFiltersList()) {
                if (filter.hasTypedConfig() && filter.getTypedConfig().getTypeUrl().equals(HCM)) {
                    for (String ref : remembered(filter.getTypedConfig(), previous, current, References::routeOf)) {
                        if (ref.startsWith(SCOPED_PREFIX)) {
                            refs.get(XdsType.SCOPED_ROUTE).add(ref.substring(SCOPED_PREFIX.length()));
                        } else {
                            refs.get(XdsType.ROUTE).add(ref);
                        }
                    }
                }
            }
            if (chain.hasTransportSocket()) {
                Any tls = chain.getTransportSocket().getTypedConfig();
                refs.get(XdsType.SECRET).addAll(remembered(tls, previous, current, References::secretsOf));
            }
        }
        lastListener.put(name, current);
    }

    private static List<String> remembered(Any config, Map<ByteString, List<String>> previous,
            Map<ByteString, List<String>> current, Function<Any, List<String>> read) {
        ByteString bytes = config.getValue();
        List<String> names = current.get(bytes);
        if (names == null) {
            names = previous.get(bytes);
            if (names == null) names = read.apply(config);
            current.put(bytes, names);
        }
        return names;
    }

    /**
     * What a connection manager routes by: the route configuration it names over RDS, or its scoped routes over SRDS
     * (kept as {@value #SCOPED_PREFIX} + their name: the SRDS subscription they start).
     */
    private static List<String> routeOf(Any hcmConfig) {
        HttpConnectionManager hcm = parse(hcmConfig, HttpConnectionManager.parser());
        if (hcm.hasRds()) return List.of(hcm.getRds().getRouteConfigName());
        if (hcm.hasScopedRoutes() && hcm.getScopedRoutes().hasScopedRds()) return List.of(SCOPED_PREFIX + hcm.getScopedRoutes().getName());
        return List.of();
    }

    private static List<String> secretsOf(Any transportSocketConfig) {
        Set<String> secrets = new HashSet<>();
        ofTransportSocket(transportSocketConfig, secrets);
        return List.copyOf(secrets);
    }

    private static void ofCluster(Cluster cluster, Map<XdsType, Set<String>> refs) {
        if (cluster.getType() == Cluster.DiscoveryType.EDS) {
            String serviceName = cluster.getEdsClusterConfig().getServiceName();
            refs.get(XdsType.ENDPOINT).add(serviceName.isEmpty() ? cluster.getName() : serviceName);
        }
        if (cluster.hasTransportSocket()) ofTransportSocket(cluster.getTransportSocket().getTypedConfig(), refs.get(XdsType.SECRET));
    }

    private static void ofTransportSocket(Any config, Set<String> secrets) {
        if (config.getTypeUrl().equals(DOWNSTREAM_TLS)) {
            ofTls(parse(config, DownstreamTlsContext.parser()).getCommonTlsContext(), secrets);
        } else if (config.getTypeUrl().equals(UPSTREAM_TLS)) {
            ofTls(parse(config, UpstreamTlsContext.parser()).getCommonTlsContext(), secrets);
        }
    }

    private static void ofTls(CommonTlsContext tls, Set<String> secrets) {
        for (SdsSecretConfig sds : tls.getTlsCertificateSdsSecretConfigsList()) secrets.add(sds.getName());
        if (tls.hasValidationContextSdsSecretConfig()) secrets.add(tls.getValidationContextSdsSecretConfig().getName());
        if (tls.hasCombinedValidationContext()) {
            secrets.add(tls.getCombinedValidationContext().getValidationContextSdsSecretConfig().getName());
        }
    }

    /** Decodes an Any whose type URL was checked (Any.unpack looks the type up reflectively on every call). */
    private static <T extends Message> T parse(Any any, Parser<T> parser) {
        try {
            return parser.parseFrom(any.getValue());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("bad " + any.getTypeUrl() + ": " + e.getMessage(), e);
        }
    }
}
