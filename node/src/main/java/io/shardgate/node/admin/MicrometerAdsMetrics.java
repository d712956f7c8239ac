package io.shardgate.node.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shardgate.node.ads.AdsMetrics;
import io.shardgate.node.ads.Protocol;
import io.shardgate.sharding.ShardId;
import io.shardgate.translator.resource.ResourceType;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The ADS server's metrics as Micrometer meters (Prometheus names in docs/operations.md). */
public final class MicrometerAdsMetrics implements AdsMetrics {
    private final MeterRegistry registry;
    private final Map<Protocol, AtomicInteger> connected = new EnumMap<>(Protocol.class);
    private final Map<ResourceType, Counter> pushes = new EnumMap<>(ResourceType.class);
    private final Map<ResourceType, DistributionSummary> pushBytes = new EnumMap<>(ResourceType.class);
    private final Map<ResourceType, Timer> pushLatency = new EnumMap<>(ResourceType.class);
    private final Map<ResourceType, Timer> ackLatency = new EnumMap<>(ResourceType.class);
    private final Counter backpressured;

    public MicrometerAdsMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Protocol p : Protocol.values()) {
            AtomicInteger count = new AtomicInteger();
            io.micrometer.core.instrument.Gauge.builder("shardgate.ads.connected.clients", count, AtomicInteger::get)
                    .description("ADS streams being served").tag("protocol", tag(p)).register(registry);
            connected.put(p, count);
        }
        for (ResourceType t : ResourceType.values()) {
            pushes.put(t, Counter.builder("shardgate.ads.pushes").description("Responses written to clients")
                    .tag("type", tag(t)).register(registry));
            pushBytes.put(t, DistributionSummary.builder("shardgate.ads.push.size").baseUnit("bytes")
                    .description("Size of responses written").tag("type", tag(t)).register(registry));
            pushLatency.put(t, Timer.builder("shardgate.ads.push.latency")
                    .description("From a stream learning of a change to the response being written")
                    .tag("type", tag(t)).publishPercentileHistogram().register(registry));
            ackLatency.put(t, Timer.builder("shardgate.ads.ack.latency")
                    .description("From a response being written to its ACK").tag("type", tag(t)).register(registry));
        }
        backpressured = Counter.builder("shardgate.ads.backpressure.pauses")
                .description("Times a stream stopped producing because its client was not reading").register(registry);
    }

    @Override
    public void connected(Protocol protocol, int delta) {
        connected.get(protocol).addAndGet(delta);
    }

    @Override
    public void refused(String reason) {
        Counter.builder("shardgate.ads.refused").description("Streams refused or ended by the server, by status (bad or over-limit requests, stalls)")
                .tag("reason", reason).register(registry).increment();
    }

    @Override
    public void pushed(ResourceType type, int bytes, int resources, long latencyNanos) {
        pushes.get(type).increment();
        pushBytes.get(type).record(bytes);
        pushLatency.get(type).record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void acked(ResourceType type, long roundTripNanos) {
        ackLatency.get(type).record(roundTripNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void nacked(ResourceType type, ShardId shard) {
        Counter.builder("shardgate.ads.nacks").description("Responses rejected by clients")
                .tags("type", tag(type), "gateway", shard.gateway(), "shard", Integer.toString(shard.shard()))
                .register(registry).increment();
    }

    @Override
    public void backpressured() {
        backpressured.increment();
    }

    private static String tag(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
