package io.shardgate.bench.target;

import io.shardgate.node.engine.TranslationEngine;
import io.shardgate.node.store.ShardDirectory;

/**
 * An xDS server under test, in this JVM: the same translation stage (Shardgate's engine, fed through its
 * {@link io.shardgate.node.source.InputSink}) in front of either Shardgate's shard stores and ADS server or
 * java-control-plane's SimpleCache and V3DiscoveryServer.
 */
public interface Target extends AutoCloseable {

    /** "shardgate", "shardgate-mtls", "shardgate-scoped" or "baseline". */
    String name();

    /**
     * The layout the workload's gateway is given: the scoped layout's clients speak Delta only and handshake every TLS
     * host they are given a scope for, as Envoys with traffic for every host would.
     */
    default io.shardgate.translator.input.GatewayLayout layout() {
        return io.shardgate.translator.input.GatewayLayout.CLASSIC;
    }

    /** Where a source hands changes; also tells when they are translated ({@link TranslationEngine#whenApplied}). */
    TranslationEngine engine();

    /** The translated resources per shard: what every client should end up holding. */
    ShardDirectory directory();

    int adsPort();

    /**
     * Whether its clients must send the node on every request (Envoy's default), not on a stream's first only
     * (Envoy's {@code set_node_on_first_message_only}): java-control-plane reads the node group of every request.
     */
    default boolean needsNodeOnEveryRequest() {
        return false;
    }

    /** The client certificate a gateway's Envoys present to this target; null: it serves plaintext. */
    default io.shardgate.xdsclient.XdsClientOptions.ClientTls clientTls(String gateway) {
        return null;
    }

    /** The bytes this target sends for a translated resource (cached: call from harness threads only). */
    ServedBytes servedBytes();

    /** Serialized bytes of every response sent to clients so far. */
    long bytesSent();

    long responsesSent();

    /** Threads of this target whose CPU time counts as the server's (see {@link io.shardgate.bench.measure.CpuMeter}). */
    default boolean isServerThread(String threadName) {
        return !threadName.startsWith("grpc-") && !threadName.startsWith("bench-") && !threadName.equals("main");
    }

    @Override
    void close();
}
