package io.shardgate.node.differential;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shardgate.node.engine.SecretFetcher;
import io.shardgate.node.engine.ShardOwnership;
import io.shardgate.node.engine.TranslationEngine;
import io.shardgate.node.report.GatewayApiStatus;
import io.shardgate.node.report.GatewayApiStatusWriter;
import io.shardgate.node.report.StatusWriter;
import io.shardgate.translator.status.GatewayClassStatus;
import io.shardgate.translator.status.GatewayStatus;
import io.shardgate.translator.status.HttpRouteStatus;
import io.shardgate.node.store.ShardDirectory;
import io.shardgate.sharding.ShardId;
import io.shardgate.translator.Problem;
import io.shardgate.translator.Translator;
import io.shardgate.translator.TranslatorConfig;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A translation engine with what a differential test reads back: the stores, the problems it currently
 * reports, the Ingresses it says are served. The clock is fixed so certificate validity never changes.
 */
final class EngineRig implements AutoCloseable {
    static final int DEFAULT_SHARDS = 2;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2027-01-01T00:00:00Z"), ZoneOffset.UTC);

    final ShardDirectory directory = new ShardDirectory();
    final Map<String, List<Problem>> problems = new ConcurrentHashMap<>();
    final Map<ObjectRef, SortedSet<Integer>> served = new ConcurrentHashMap<>();
    /** The Gateway API status this node currently wants written, per object (a Gateway's with its addresses). */
    final Map<ObjectRef, Object> statuses = new ConcurrentHashMap<>();
    final TranslationEngine engine;

    EngineRig(ShardOwnership ownership, SecretFetcher fetcher) {
        TranslatorConfig defaults = TranslatorConfig.defaults();
        Translator translator = Translator.create(new TranslatorConfig(defaults.httpPort(), defaults.httpsPort(),
                defaults.connectTimeout(), defaults.defaultRouteTimeout(), CLOCK));
        StatusWriter status = new StatusWriter() {
            @Override
            public void served(ObjectRef ingress, String gateway, SortedSet<Integer> shards) {
                served.put(ingress, shards);
            }

            @Override
            public void notServed(ObjectRef ingress) {
                served.remove(ingress);
            }

            @Override
            public void released(ObjectRef ingress) {
                served.remove(ingress);
            }
        };
        engine = new TranslationEngine(translator, directory, ownership, DEFAULT_SHARDS, (String subject, Collection<Problem> list) -> {
            if (list.isEmpty()) problems.remove(subject); else problems.put(subject, List.copyOf(list));
        }, status, new SimpleMeterRegistry(), CLOCK, fetcher, new GatewayApiStatus(new GatewayApiStatusWriter() {
            @Override
            public void route(HttpRouteStatus wanted) {
                statuses.put(wanted.route(), wanted);
            }

            @Override
            public void gateway(GatewayStatus wanted, List<String> addresses) {
                statuses.put(wanted.gateway(), List.of(wanted, addresses));
            }

            @Override
            public void gatewayClass(GatewayClassStatus wanted) {
                statuses.put(ObjectRef.of(ObjectRef.Kind.GATEWAY_CLASS, "", wanted.name()), wanted);
            }

            @Override
            public void listenerSet(io.shardgate.translator.status.ListenerSetStatus wanted) {
                statuses.put(wanted.listenerSet(), wanted);
            }

            @Override
            public void released(ObjectRef ref) {
                statuses.remove(ref);
            }
        }, List.of("shard-{shard}.{gateway}.example.com")));
    }

    /** A fresh engine given every object at once: what the shards must hold, computed from scratch. */
    static EngineRig fromScratch(ShardOwnership ownership, List<InputObject> objects) {
        EngineRig rig = new EngineRig(ownership, null);
        objects.forEach(rig.engine::upsert);
        rig.engine.synced();
        rig.settle();
        return rig;
    }

    void settle() {
        try {
            engine.whenApplied(engine.received()).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the engine did not apply its input within 60 s", e);
        }
    }

    /** The content of every shard this node owns. */
    SortedMap<ShardId, ServedContent> owned() {
        SortedMap<ShardId, ServedContent> out = new TreeMap<>();
        for (ShardId key : new TreeSet<>(engine.ownedShards().keySet())) out.put(key, ServedContent.of(directory.store(key)));
        return out;
    }

    @Override
    public void close() {
        engine.close();
    }
}
