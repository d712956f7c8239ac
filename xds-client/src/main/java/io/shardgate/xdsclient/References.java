package io.shardgate.xdsclient;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The resources a listener or cluster makes Envoy subscribe to: route configurations named by HTTP connection
 * managers (RDS), secrets named by TLS contexts (SDS), and EDS cluster load assignments.
 */
final class References {
    private static final String HCM = "type.googleapis.com/" + HttpConnectionManager.getDescriptor().getFullName();
    private static final String DOWNSTREAM_TLS = "type.googleapis.com/" + DownstreamTlsContext.getDescriptor().getFullName();
    private static final String UPSTREAM_TLS = "type.googleapis.com/" + UpstreamTlsContext.getDescriptor().getFullName();

    private References() {}

    /** The names {@code resource} references, by referenced type (empty for types that reference nothing). */
    static Map<XdsType, Set<String>> of(ReceivedResource resource) {
        Map<XdsType, Set<String>> refs = new EnumMap<>(XdsType.class);
        for (XdsType type : new XdsType[] {XdsType.ENDPOINT, XdsType.ROUTE, XdsType.SECRET}) refs.put(type, new HashSet<>());
        if (resource.type() == XdsType.LISTENER) ofListener(resource.message(), refs);
        if (resource.type() == XdsType.CLUSTER) ofCluster(resource.message(), refs);
        return refs;
    }

    private static void ofListener(Listener listener, Map<XdsType, Set<String>> refs) {
        for (FilterChain chain : listener.getFilterChainsList()) ofChain(chain, refs);
        if (listener.hasDefaultFilterChain()) ofChain(listener.getDefaultFilterChain(), refs);
    }

    private static void ofChain(FilterChain chain, Map<XdsType, Set<String>> refs) {
        for (Filter filter : chain.getFiltersList()) {
            if (filter.hasTypedConfig() && filter.getTypedConfig().getTypeUrl().equals(HCM)) {
                HttpConnectionManager hcm = unpack(filter.getTypedConfig(), HttpConnectionManager.class);
                if (hcm.hasRds()) refs.get(XdsType.ROUTE).add(hcm.getRds().getRouteConfigName());
            }
        }
        if (chain.hasTransportSocket()) ofTransportSocket(chain.getTransportSocket(), refs);
    }

    private static void ofCluster(Cluster cluster, Map<XdsType, Set<String>> refs) {
        if (cluster.getType() == Cluster.DiscoveryType.EDS) {
            String serviceName = cluster.getEdsClusterConfig().getServiceName();
            refs.get(XdsType.ENDPOINT).add(serviceName.isEmpty() ? cluster.getName() : serviceName);
        }
        if (cluster.hasTransportSocket()) ofTransportSocket(cluster.getTransportSocket(), refs);
    }

    private static void ofTransportSocket(TransportSocket socket, Map<XdsType, Set<String>> refs) {
        Any config = socket.getTypedConfig();
        if (config.getTypeUrl().equals(DOWNSTREAM_TLS)) {
            ofTls(unpack(config, DownstreamTlsContext.class).getCommonTlsContext(), refs.get(XdsType.SECRET));
        } else if (config.getTypeUrl().equals(UPSTREAM_TLS)) {
            ofTls(unpack(config, UpstreamTlsContext.class).getCommonTlsContext(), refs.get(XdsType.SECRET));
        }
    }

    private static void ofTls(CommonTlsContext tls, Set<String> secrets) {
        for (SdsSecretConfig sds : tls.getTlsCertificateSdsSecretConfigsList()) secrets.add(sds.getName());
        if (tls.hasValidationContextSdsSecretConfig()) secrets.add(tls.getValidationContextSdsSecretConfig().getName());
        if (tls.hasCombinedValidationContext()) {
            secrets.add(tls.getCombinedValidationContext().getValidationContextSdsSecretConfig().getName());
        }
    }

    private static <T extends Message> T unpack(Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("bad " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
