package io.shardgate.node.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shardgate.sharding.ShardId;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/** The engine's meters: drain time, domains translated, shards, Secrets held, readiness, domains per shard. */
final class EngineMetrics {
    private final MeterRegistry registry;
    private final Timer drains;
    private final Counter domainsTranslated;

    /** Suppliers of the engine's state, read whenever the registry is scraped. */
    record Readings(IntSupplier shardsOwned, IntSupplier shardsUnplaced, IntSupplier secretsHeld, IntSupplier secretsWithheld,
                    IntSupplier ready) {}

    EngineMetrics(MeterRegistry registry, Readings readings) {
        this.registry = registry;
        this.drains = Timer.builder("shardgate.translation.duration")
                .description("Time to translate and apply one drain of input changes")
                .publishPercentileHistogram().register(registry);
        this.domainsTranslated = Counter.builder("shardgate.domains.translated")
                .description("Domains translated (each re-translation counts)").register(registry);
        // Suppliers, not objects: a gauge holds an object weakly, and a lambda nothing else references is collected.
        Gauge.builder("shardgate.shards.owned", () -> readings.shardsOwned().getAsInt())
                .description("Shards this node owns (translates and serves)").register(registry);
        Gauge.builder("shardgate.shards.unplaced", () -> readings.shardsUnplaced().getAsInt())
                .description("Shards of every gateway that the cluster's shard table gives to no node").register(registry);
        Gauge.builder("shardgate.secrets", () -> readings.secretsHeld().getAsInt()).tag("key_material", "held")
                .description("TLS Secrets known to this node, by whether it keeps their key material").register(registry);
        Gauge.builder("shardgate.secrets", () -> readings.secretsWithheld().getAsInt()).tag("key_material", "withheld")
                .description("TLS Secrets known to this node, by whether it keeps their key material").register(registry);
        Gauge.builder("shardgate.ready", () -> readings.ready().getAsInt())
                .description("1 once every owned shard is fully translated").register(registry);
    }

    void drained(long nanos) {
        drains.record(nanos, TimeUnit.NANOSECONDS);
    }

    void translated(int domains) {
        domainsTranslated.increment(domains);
    }

    long domainsTranslated() {
        return (long) domainsTranslated.count();
    }

    void shardGained(ShardId key, ShardState state) {
        Gauge.builder("shardgate.shard.domains", state, s -> s.assembly().servedDomainCount())
                .description("Domains served (perhaps degraded) by an owned shard; rejected ones are not counted")
                .tags("gateway", key.gateway(), "shard", Integer.toString(key.shard()))
                .register(registry);
    }

    void shardGone(ShardId key) {
        registry.find("shardgate.shard.domains").tags("gateway", key.gateway(), "shard", Integer.toString(key.shard()))
                .meters().forEach(registry::remove);
    }
}
