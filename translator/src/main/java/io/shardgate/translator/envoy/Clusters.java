package io.shardgate.translator.envoy;

import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.domain.ClusterKey.UpstreamProtocol;
import java.util.EnumSet;
import java.util.Set;

/** The EDS cluster of a Service port, speaking the backend protocol the Ingress asked for. */
final class Clusters {
    private static final Set<UpstreamProtocol> HTTP2 = EnumSet.of(UpstreamProtocol.HTTP2, UpstreamProtocol.GRPC, UpstreamProtocol.GRPCS);
    private static final Set<UpstreamProtocol> TLS = EnumSet.of(UpstreamProtocol.HTTPS, UpstreamProtocol.GRPCS);
    private static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

    private Clusters() {}

    static Cluster cluster(Packer packer, ClusterKey key, java.time.Duration connectTimeout) {
        Cluster.Builder cluster = Cluster.newBuilder()
                .setName(key.clusterName())
                .setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
                        .setEdsConfig(ConfigSources.ADS)
                        .setServiceName(key.endpointsName()))
                .setConnectTimeout(Duration.newBuilder()
                        .setSeconds(connectTimeout.getSeconds())
                        .setNanos(connectTimeout.getNano()))
                .setPerConnectionBufferLimitBytes(UInt32Value.of(32 * 1024));
        if (HTTP2.contains(key.protocol())) {
            cluster.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS, packer.pack(HttpProtocolOptions.newBuilder()
                    .setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                            .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
                    .build()));
        }
        if (TLS.contains(key.protocol())) {
            // Like ingress-nginx (proxy-ssl-verify off by default): encrypt, do not verify the backend.
            CommonTlsContext.Builder common = CommonTlsContext.newBuilder();
            if (HTTP2.contains(key.protocol())) common.addAlpnProtocols("h2");
            cluster.setTransportSocket(TransportSocket.newBuilder()
                    .setName("envoy.transport_sockets.tls")
                    .setTypedConfig(packer.pack(UpstreamTlsContext.newBuilder().setCommonTlsContext(common).build())));
        }
        return cluster.build();
    }
}
