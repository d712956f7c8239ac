package io.shardgate.node.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReferenceBuilder;
import io.shardgate.sharding.ShardId;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/**
 * The incremental engine must always serve exactly what a fresh engine builds from the same inputs. Random,
 * seeded change sequences (creates, updates, deletes, host renames, moves between namespaces, backend swaps,
 * TLS on and off, conflicts, re-sharding, ownership moves, and with Gateway API: classes, Gateways and listeners
 * that attach routes and let go of them, Ingresses and HTTPRoutes on one host) are applied to one long-lived engine; after every
 * step each owned shard's content (names, bytes, versions), the problems reported and the Ingresses said to
 * be served must equal those of an engine given the whole world at once.
 *
 * <p>Replay a failure with {@code mvn -pl node -am verify -Dtest=IncrementalEqualsFromScratchTest
 * -Ddifferential.seed=SEED -Ddifferential.steps=STEPS}; a longer run is {@code -Ddifferential.seeds=50
 * -Ddifferential.steps=5000} (random seeds unless one is given).
 */
class IncrementalEqualsFromScratchTest {

    @Test
    void everyStepOfEverySeedServesWhatAFreshEngineBuilds() {
        for (long seed : Differential.seeds(List.of(1L, 2L, 3L, 4L))) run(seed, Differential.steps(600), false);
    }

    /** Ingresses, GatewayClasses, Gateways and HTTPRoutes claiming the same gateways and hosts. */
    @Test
    void withGatewayApiEveryStepServesWhatAFreshEngineBuilds() {
        for (long seed : Differential.seeds(List.of(5L, 6L, 13L))) run(seed, Differential.steps(600), true);
    }

    /**
     * A sequence in which a ListenerSet is deleted in a step that also re-judges every status (a class redefined): the
     * deleted set, whose status another node writes, stayed counted in its Gateway's attachedListenerSets (step 699).
     */
    @Test
    void withGatewayApiADeletedListenerSetStopsBeingCountedOnAWholeRefresh() {
        run(3370943596536669532L, 700, true);
    }

    /**
     * A route served through its first parent's gateway moves to its second parent's when the first Gateway goes: the
     * second Gateway's attachedRoutes must follow, though only the first Gateway changed.
     */
    @Test
    void aRouteMovingToItsSecondParentsGatewayIsCountedThere() {
        HasMetadata first = gateway("edge", "g1");
        List<Change> steps = List.of(new Change.Put(gatewayClass("g1")), new Change.Put(gatewayClass("g2")), new Change.Put(first),
                new Change.Put(gateway("inner", "g2")),
                new Change.Put(new HTTPRouteBuilder().withMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("store").build())
                        .withNewSpec().withParentRefs(new ParentReferenceBuilder().withName("edge").build(),
                                new ParentReferenceBuilder().withName("inner").build())
                        .withHostnames("store.example.com").endSpec().build()),
                new Change.Delete(World.refOf(first)));
        replay(steps);
    }

    /**
     * A Gateway's listener is judged by its certificate's content, though no domain uses the Secret, so this node keeps
     * no key material for it: the status waits for the material instead of calling a malformed certificate resolved.
     */
    @Test
    void aListenersMalformedCertificateIsJudgedByItsContentThoughItsKeyMaterialWasWithheld() {
        HasMetadata malformed = malformedTlsSecret("shop", "edge-tls");
        HasMetadata https = new GatewayBuilder().withMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("edge").build())
                .withNewSpec().withGatewayClassName("g1").withListeners(new ListenerBuilder().withName("https").withPort(443)
                        .withProtocol("HTTPS").withHostname("shop.example.com").withNewTls()
                        .withCertificateRefs(new SecretObjectReferenceBuilder().withName("edge-tls").build()).endTls().build())
                .endSpec().build();
        replay(List.of(new Change.Put(gatewayClass("g1")), new Change.Put(malformed), new Change.Put(https)));
    }

    /** As above, for a ListenerSet's listener: its status, and whether its Gateway counts it, judge the content too. */
    @Test
    void aListenerSetsMalformedCertificateIsJudgedByItsContentThoughItsKeyMaterialWasWithheld() {
        HasMetadata malformed = malformedTlsSecret("shop", "team-tls");
        HasMetadata shared = new GatewayBuilder().withMetadata(new ObjectMetaBuilder().withNamespace("infra").withName("edge").build())
                .withNewSpec().withGatewayClassName("g1").withListeners(new ListenerBuilder().withName("http").withPort(80)
                        .withProtocol("HTTP").build())
                .withNewAllowedListeners().withNewNamespaces().withFrom("All").endNamespaces().endAllowedListeners().endSpec().build();
        HasMetadata set = new io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSetBuilder()
                .withMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("team").build())
                .withNewSpec().withNewParentRef().withName("edge").withNamespace("infra").endParentRef()
                .addNewListener().withName("https").withPort(443).withProtocol("HTTPS").withHostname("team.example.com").withNewTls()
                .withCertificateRefs(new SecretObjectReferenceBuilder().withName("team-tls").build()).endTls().endListener()
                .endSpec().build();
        replay(List.of(new Change.Put(gatewayClass("g1")), new Change.Put(malformed), new Change.Put(shared), new Change.Put(set)));
    }

    /** A kubernetes.io/tls Secret whose certificate and key do not parse. */
    private static HasMetadata malformedTlsSecret(String namespace, String name) {
        return new SecretBuilder().withMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build())
                .withType("kubernetes.io/tls").withStringData(Map.of("tls.crt", "not a certificate", "tls.key", "not a key")).build();
    }

    /** Applies each change to one engine and compares it with a fresh engine after each. */
    private static void replay(List<Change> steps) {
        World world = new World();
        RandomOwnership ownership = new RandomOwnership(0);
        try (EngineRig incremental = new EngineRig(ownership, world::tlsSecrets)) {
            incremental.engine.synced();
            for (Change change : steps) {
                world.apply(change);
                deliver(change, incremental, ownership);
                incremental.settle();
                try (EngineRig fresh = EngineRig.fromScratch(ownership.snapshot(), world.projections())) {
                    Differential.assertSameServedState("after " + change, incremental, fresh);
                }
            }
        }
    }

    private static HasMetadata gatewayClass(String name) {
        return new GatewayClassBuilder().withMetadata(new ObjectMetaBuilder().withName(name).build())
                .withNewSpec().withControllerName("shardgate.io/controller").endSpec().build();
    }

    private static HasMetadata gateway(String name, String className) {
        return new GatewayBuilder().withMetadata(new ObjectMetaBuilder().withNamespace("shop").withName(name).build())
                .withNewSpec().withGatewayClassName(className)
                .withListeners(new ListenerBuilder().withName("http").withPort(80).withProtocol("HTTP").build()).endSpec().build();
    }

    static void run(long seed, int steps, boolean gatewayApi) {
        World world = new World();
        ChangeGenerator generator = new ChangeGenerator(seed, world, gatewayApi);
        RandomOwnership ownership = new RandomOwnership(0);
        Deque<String> recent = new ArrayDeque<>();
        try (EngineRig incremental = new EngineRig(ownership, world::tlsSecrets)) {
            incremental.engine.synced();
            for (int step = 1; step <= steps; step++) {
                List<Change> changes = generator.next();
                recent.addLast("step " + step + ": " + changes);
                if (recent.size() > 8) recent.removeFirst();
                for (Change change : changes) deliver(change, incremental, ownership);
                incremental.settle();
                String where = "seed " + seed + " (replay: -Ddifferential.seed=" + seed + " -Ddifferential.steps=" + step
                        + "), after\n  " + String.join("\n  ", recent) + "\n";
                try (EngineRig fresh = EngineRig.fromScratch(ownership.snapshot(), world.projections())) {
                    Differential.assertSameServedState(where, incremental, fresh);
                }
            }
        }
    }

    private static void deliver(Change change, EngineRig rig, RandomOwnership ownership) {
        if (change instanceof Change.Put put) {
            Optional<InputObject> projected = World.project(put.object());
            // A Secret that is not (or no longer) a TLS Secret is never delivered: to the engine it is gone.
            if (projected.isPresent()) rig.engine.upsert(projected.get()); else rig.engine.delete(World.refOf(put.object()));
        } else if (change instanceof Change.Delete delete) {
            rig.engine.delete(delete.ref());
        } else if (change instanceof Change.MoveOwnership move) {
            ownership.moveTo(move.epoch());
            rig.engine.ownershipChanged();
        }
    }

    /** Shared by the direct, file and API-server variants. */
    static final class Differential {
        private Differential() {}

        static List<Long> seeds(List<Long> defaults) {
            Long seed = Long.getLong("differential.seed");
            if (seed != null) return List.of(seed);
            Integer count = Integer.getInteger("differential.seeds");
            if (count == null) return defaults;
            java.util.Random random = new java.util.Random();
            return java.util.stream.LongStream.generate(random::nextLong).limit(count).boxed().toList();
        }

        static int steps(int defaultSteps) {
            return Integer.getInteger("differential.steps", defaultSteps);
        }

        static void assertSameServedState(String where, EngineRig incremental, EngineRig fresh) {
            SortedMap<ShardId, ServedContent> actual = incremental.owned();
            SortedMap<ShardId, ServedContent> expected = fresh.owned();
            assertThat(actual.keySet()).as("owned shards, %s", where).isEqualTo(expected.keySet());
            for (ShardId shard : expected.keySet()) {
                assertThat(actual.get(shard).diff(expected.get(shard))).as("shard %s content, %s", shard, where).isEmpty();
                assertThat(incremental.directory.store(shard).isReady()).as("shard %s ready, %s", shard, where).isTrue();
            }
            assertThat(incremental.engine.ownedShards()).as("domains per owned shard, %s", where)
                    .isEqualTo(fresh.engine.ownedShards());
            assertThat(new java.util.TreeMap<>(incremental.problems)).as("problems reported, %s", where)
                    .isEqualTo(new java.util.TreeMap<>(fresh.problems));
            assertThat(new java.util.TreeMap<ObjectRef, Object>(incremental.served)).as("Ingresses served, %s", where)
                    .isEqualTo(new java.util.TreeMap<ObjectRef, Object>(fresh.served));
            assertThat(new java.util.TreeMap<>(incremental.statuses)).as("Gateway API status wanted, %s", where)
                    .isEqualTo(new java.util.TreeMap<>(fresh.statuses));
        }
    }
}
