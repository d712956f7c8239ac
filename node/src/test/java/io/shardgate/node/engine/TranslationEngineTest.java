package io.shardgate.node.engine;

import static io.shardgate.node.engine.Inputs.gateway;
import static io.shardgate.node.engine.Inputs.ingress;
import static io.shardgate.node.engine.Inputs.secret;
import static io.shardgate.node.engine.Inputs.service;
import static io.shardgate.node.engine.Inputs.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shardgate.node.report.ProblemReporter;
import io.shardgate.node.report.StatusWriter;
import io.shardgate.node.store.ShardDirectory;
import io.shardgate.sharding.ShardId;
import io.shardgate.node.store.ShardStore;
import io.shardgate.sharding.DomainSharding;
import io.shardgate.translator.Problem;
import io.shardgate.translator.Translator;
import io.shardgate.translator.TranslatorConfig;
import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.LabelSelector;
import io.shardgate.translator.input.ListenerSetInput;
import io.shardgate.translator.input.NamespaceInput;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TranslationEngineTest {
    private static final String GW = "public";
    private static final TestCertificates.Pem SHOP_CERT = TestCertificates.selfSigned(List.of("shop.example.com"));

    private final ShardDirectory directory = new ShardDirectory();
    private final AtomicInteger domainTranslations = new AtomicInteger();
    private final Map<String, Collection<Problem>> problems = new ConcurrentHashMap<>();
    private final Set<ObjectRef> served = ConcurrentHashMap.newKeySet();
    private final Map<ObjectRef, java.util.SortedSet<Integer>> servedShards = new ConcurrentHashMap<>();
    private final Set<String> brokenHosts = ConcurrentHashMap.newKeySet();
    private final Set<String> overflowingHosts = ConcurrentHashMap.newKeySet();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final java.util.concurrent.atomic.AtomicBoolean owning = new java.util.concurrent.atomic.AtomicBoolean(true);
    private TranslationEngine engine;

    @AfterEach
    void stop() {
        if (engine != null) engine.close();
    }

    private TranslationEngine start(int defaultShards) {
        return start(defaultShards, java.time.Clock.systemUTC());
    }

    private TranslationEngine start(int defaultShards, java.time.Clock clock) {
        return start(defaultShards, clock, ShardOwnership.all());
    }

    private TranslationEngine start(int defaultShards, java.time.Clock clock, ShardOwnership ownership) {
        return start(defaultShards, clock, ownership, null);
    }

    private TranslationEngine start(int defaultShards, java.time.Clock clock, ShardOwnership ownership, SecretFetcher fetcher) {
        TranslatorConfig defaults = TranslatorConfig.defaults();
        Translator real = Translator.create(new TranslatorConfig(defaults.httpPort(), defaults.httpsPort(),
                defaults.connectTimeout(), defaults.defaultRouteTimeout(), clock));
        // Counts translateDomain calls: the measure of "work proportional to what changed".
        Translator counting = (Translator) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Translator.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("translateDomain")) {
                        domainTranslations.incrementAndGet();
                        if (brokenHosts.contains((String) args[0])) throw new IllegalStateException("simulated translator bug");
                        if (overflowingHosts.contains((String) args[0])) throw new StackOverflowError();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ProblemReporter reporter = (subject, list) -> {
            if (list.isEmpty()) problems.remove(subject); else problems.put(subject, List.copyOf(list));
        };
        StatusWriter status = new StatusWriter() {
            @Override public void served(ObjectRef ingress, String gateway, java.util.SortedSet<Integer> shards) {
                served.add(ingress);
                servedShards.put(ingress, shards);
            }
            @Override public void notServed(ObjectRef ingress) { served.remove(ingress); }
            @Override public void released(ObjectRef ingress) { served.remove(ingress); }
        };
        engine = new TranslationEngine(counting, directory, ownership, defaultShards, reporter, status,
                registry, clock, fetcher);
        return engine;
    }

    private void settle() throws Exception {
        engine.whenApplied(engine.received()).get(30, TimeUnit.SECONDS);
    }

    private ShardStore store(int shard) {
        return directory.store(new ShardId(GW, shard));
    }

    private static Set<String> names(ShardStore store, ResourceType type) {
        Set<String> out = new TreeSet<>();
        store.all(type).forEach(r -> out.add(r.name()));
        return out;
    }

    private void seedShop() {
        engine.upsert(gateway(GW, null));
        engine.upsert(service("shop", "web", 80));
        engine.upsert(slice("shop", "web", 8080, "10.0.0.1", "10.0.0.2"));
        engine.upsert(secret("shop", "shop-tls", SHOP_CERT));
        engine.upsert(ingress("shop", "web").rule("shop.example.com", "/", "web", 80).tls("shop.example.com", "shop-tls").build());
    }

    @Test
    void servesTheWholeDomainOnceSyncedAndNotBefore() throws Exception {
        start(1);
        seedShop();
        settle();
        assertThat(store(0).isReady()).as("not ready before the source synced").isFalse();
        engine.synced();
        settle();

        ShardStore store = store(0);
        assertThat(store.isReady()).isTrue();
        assertThat(engine.isReady()).isTrue();
        assertThat(names(store, ResourceType.LISTENER)).containsExactly("http", "https");
        assertThat(names(store, ResourceType.ROUTE)).containsExactly("http", "https/shop.example.com");
        assertThat(names(store, ResourceType.CLUSTER)).containsExactly("shop/web:80");
        assertThat(names(store, ResourceType.ENDPOINT)).containsExactly("shop/web:80");
        assertThat(names(store, ResourceType.SECRET)).containsExactly("shop/shop-tls");
        assertThat(served).containsExactly(ObjectRef.of(ObjectRef.Kind.INGRESS, "shop", "web"));
        assertThat(problems).isEmpty();
    }

    @Test
    void oneDomainChangeTranslatesOneDomainWhateverTheShardSize() throws Exception {
        start(1);
        engine.upsert(gateway(GW, null));
        engine.upsert(service("shop", "web", 80));
        for (int i = 0; i < 2_000; i++) {
            engine.upsert(ingress("shop", "site-" + i).rule("site-" + i + ".example.com", "/", "web", 80).build());
        }
        engine.synced();
        settle();
        assertThat(store(0).get(ResourceType.ROUTE, "http")).isNotNull();
        int before = domainTranslations.get();
        long sequence = store(0).sequence();

        engine.upsert(ingress("shop", "site-7").rule("site-7.example.com", "/v2", "web", 80).build());
        settle();

        assertThat(domainTranslations.get() - before).isEqualTo(1);
        List<String> changed = new ArrayList<>();
        assertThat(store(0).changesSince(ResourceType.ROUTE, sequence, store(0).sequence(), changed::add)).isTrue();
        assertThat(changed).containsExactly("http");
        assertThat(store(0).changesSince(ResourceType.CLUSTER, sequence, store(0).sequence(), changed::add)).isTrue();
        assertThat(changed).containsExactly("http");
    }

    /** As for an Ingress: one HTTPRoute's change, among 2,000 routes on one Gateway, translates its one domain. */
    @Test
    void oneHttpRouteChangeTranslatesOneDomain() throws Exception {
        start(1);
        engine.upsert(new GatewayClassInput(GW, IngressClassInput.CONTROLLER));
        engine.upsert(edgeGateway(null));
        engine.upsert(service("shop", "web", 80));
        for (int i = 0; i < 2_000; i++) engine.upsert(routeOnEdge("site-" + i, "/"));
        engine.synced();
        settle();
        assertThat(httpVirtualHosts()).hasSize(2_000);
        int before = domainTranslations.get();
        long sequence = store(0).sequence();

        engine.upsert(routeOnEdge("site-7", "/v2"));
        settle();

        assertThat(domainTranslations.get() - before).isEqualTo(1);
        List<String> changed = new ArrayList<>();
        assertThat(store(0).changesSince(ResourceType.ROUTE, sequence, store(0).sequence(), changed::add)).isTrue();
        assertThat(changed).containsExactly("http");
    }

    /** The route "name" of namespace shop, for the host name.example.com on the Gateway shop/edge, to web. */
    private static HttpRouteInput routeOnEdge(String name, String path) {
        return new HttpRouteInput("shop", name, 1, java.time.Instant.EPOCH,
                List.of(new HttpRouteInput.ParentRef(null, null, null, "edge", null, null)), List.of(name + ".example.com"),
                List.of(new HttpRouteInput.Rule(List.of(new HttpRouteInput.Match("PathPrefix", path)),
                        List.of(new HttpRouteInput.BackendRef(null, null, null, "web", 80, null)))));
    }

    @Test
    void unchangedInputCostsNothing() throws Exception {
        start(1);
        seedShop();
        engine.synced();
        settle();
        int before = domainTranslations.get();
        long sequence = store(0).sequence();

        seedShop(); // a resync: every object delivered again, identical
        settle();

        assertThat(domainTranslations.get()).isEqualTo(before);
        assertThat(store(0).sequence()).isEqualTo(sequence);
    }

    @Test
    void sharedClusterStaysUntilItsLastDomainGoes() throws Exception {
        start(1);
        engine.upsert(gateway(GW, null));
        engine.upsert(service("shop", "web", 80));
        engine.upsert(ingress("shop", "a").rule("a.example.com", "/", "web", 80).build());
        engine.upsert(ingress("shop", "b").rule("b.example.com", "/", "web", 80).build());
        engine.synced();
        settle();
        assertThat(names(store(0), ResourceType.CLUSTER)).containsExactly("shop/web:80");

        engine.delete(ObjectRef.of(ObjectRef.Kind.INGRESS, "shop", "a"));
        settle();
        assertThat(names(store(0), ResourceType.CLUSTER)).containsExactly("shop/web:80");

        engine.delete(ObjectRef.of(ObjectRef.Kind.INGRESS, "shop", "b"));
        settle();
        assertThat(names(store(0), ResourceType.CLUSTER)).isEmpty();
        assertThat(names(store(0), ResourceType.ENDPOINT)).isEmpty();
        assertThat(served).isEmpty();
    }

    @Test
    void aHostRenameKeepsTheClusterSecretAndEndpointsItStillUses() throws Exception {
        start(1);
        seedShop();
        engine.upsert(secret("shop", "shop-tls", TestCertificates.selfSigned(List.of("shop.example.com", "shop2.example.com"))));
        engine.synced();
        settle();

        // One drain unrefs everything of the old host (count to zero) and refs it again for the new one.
        engine.upsert(ingress("shop", "web").rule("shop2.example.com", "/", "web", 80).tls("shop2.example.com", "shop-tls").build());
        settle();
        assertThat(names(store(0), ResourceType.ROUTE)).containsExactly("http", "https/shop2.example.com");
        assertThat(names(store(0), ResourceType.CLUSTER)).containsExactly("shop/web:80");
        assertThat(names(store(0), ResourceType.ENDPOINT)).containsExactly("shop/web:80");
        assertThat(names(store(0), ResourceType.SECRET)).containsExactly("shop/shop-tls");

        engine.upsert(ingress("shop", "web").rule("shop.example.com", "/", "web", 80).tls("shop.example.com", "shop-tls").build());
        settle();
        assertThat(names(store(0), ResourceType.ROUTE)).containsExactly("http", "https/shop.example.com");
        assertThat(names(store(0), ResourceType.CLUSTER)).containsExactly("shop/web:80");
        assertThat(names(store(0), ResourceType.ENDPOINT)).containsExactly("shop/web:80");
        assertThat(names(store(0), ResourceType.SECRET)).containsExactly("shop/shop-tls");
    }

    @Test
    void endpointChangeTouchesOnlyEndpoints() throws Exception {
        start(1);
        seedShop();
        engine.synced();
        settle();
        int before = domainTranslations.get();
        long sequence = store(0).sequence();

        engine.upsert(slice("shop", "web", 8080, "10.0.0.9"));
        settle();

        assertThat(domainTranslations.get()).isEqualTo(before);
        for (ResourceType type : ResourceType.values()) {
            List<String> changed = new ArrayList<>();
            store(0).changesSince(type, sequence, store(0).sequence(), changed::add);
            assertThat(changed).as(type.name()).isEqualTo(type == ResourceType.ENDPOINT ? List.of("shop/web:80") : List.of());
        }
    }

    @Test
    void shardsSharingAServiceShareOneTranslationOfItsClusterAndEndpoints() throws Exception {
        start(2);
        engine.upsert(gateway(GW, 2));
        engine.upsert(slice("shop", "web", 8080, "10.0.0.1"));
        engine.upsert(ingress("shop", "a").rule(hostOnShard(0, 2), "/", "web", 80).build());
        engine.upsert(ingress("shop", "b").rule(hostOnShard(1, 2), "/", "web", 80).build());
        engine.synced();
        settle();
        // The engine may drain between any two upserts, and one translation is shared within a drain. The Service
        // comes last, in one upsert, so both domains that looked for it take its cluster in the same drain.
        engine.upsert(service("shop", "web", 80));
        settle();
        assertThat(store(0).get(ResourceType.CLUSTER, "shop/web:80"))
                .isSameAs(store(1).get(ResourceType.CLUSTER, "shop/web:80")).isNotNull();
        assertThat(store(0).get(ResourceType.ENDPOINT, "shop/web:80"))
                .isSameAs(store(1).get(ResourceType.ENDPOINT, "shop/web:80")).isNotNull();

        engine.upsert(slice("shop", "web", 8080, "10.0.0.9"));
        settle();
        XdsResource endpoints = store(0).get(ResourceType.ENDPOINT, "shop/web:80");
        assertThat(endpoints.body().toStringUtf8()).contains("10.0.0.9");
        assertThat(store(1).get(ResourceType.ENDPOINT, "shop/web:80")).isSameAs(endpoints);
    }

    @Test
    void aServiceThatAppearsLaterRetranslatesTheDomainsThatMissedIt() throws Exception {
        start(1);
        engine.upsert(gateway(GW, null));
        engine.upsert(ingress("shop", "web").rule("shop.example.com", "/", "web", 80).build());
        engine.synced();
        settle();
        assertThat(problems).containsKey(GW + "/shop.example.com");
        assertThat(names(store(0), ResourceType.CLUSTER)).isEmpty();

        engine.upsert(service("shop", "web", 80));
        settle();

        assertThat(problems).doesNotContainKey(GW + "/shop.example.com");
        assertThat(names(store(0), ResourceType.CLUSTER)).containsExactly("shop/web:80");
    }

    @Test
    void domainsLandInTheirJumpHashShardAndMoveWhenTheShardCountChanges() throws Exception {
        start(1);
        engine.upsert(gateway(GW, 4));
        engine.upsert(service("shop", "web", 80));
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            hosts.add("tenant-" + i + ".example.com");
            engine.upsert(ingress("shop", "t" + i).rule(hosts.get(i), "/", "web", 80).build());
        }
        engine.synced();
        settle();
        assertThat(directory.gateways()).containsEntry(GW, 4);
        for (String host : hosts) {
            int shard = DomainSharding.shardOf(host, 4);
            assertThat(store(shard).get(ResourceType.ROUTE, "http").body().toStringUtf8()).as(host).contains(host);
        }

        engine.upsert(gateway(GW, 5));
        settle();
        assertThat(directory.gateways()).containsEntry(GW, 5);
        for (String host : hosts) {
            int shard = DomainSharding.shardOf(host, 5);
            for (int s = 0; s < 5; s++) {
                boolean there = store(s).get(ResourceType.ROUTE, "http").body().toStringUtf8().contains(host);
                assertThat(there).as("%s in shard %d", host, s).isEqualTo(s == shard);
            }
        }
    }

    @Test
    void aHostConflictAffectsOnlyTheLaterClaim() throws Exception {
        start(1);
        engine.upsert(gateway(GW, null));
        engine.upsert(service("a", "web", 80));
        engine.upsert(service("b", "web", 80));
        engine.upsert(ingress("a", "first").created(java.time.Instant.parse("2025-01-01T00:00:00Z"))
                .rule("shared.example.com", "/", "web", 80).build());
        engine.upsert(ingress("b", "second").created(java.time.Instant.parse("2025-06-01T00:00:00Z"))
                .rule("shared.example.com", "/", "web", 80).rule("own.example.com", "/", "web", 80).build());
        engine.synced();
        settle();

        assertThat(names(store(0), ResourceType.CLUSTER)).containsExactly("a/web:80", "b/web:80");
        assertThat(problems.get(GW + "/shared.example.com")).extracting(Problem::reason).contains("HostConflict");
        assertThat(problems).doesNotContainKey(GW + "/own.example.com");
    }

    @Test
    void aTranslatorBugCostsOnlyItsDomain() throws Exception {
        brokenHosts.add("broken.example.com");
        start(1);
        engine.upsert(gateway(GW, null));
        engine.upsert(service("shop", "web", 80));
        engine.upsert(ingress("shop", "ok").rule("ok.example.com", "/", "web", 80).build());
        engine.upsert(ingress("shop", "broken").rule("broken.example.com", "/", "web", 80).build());
        engine.synced();
        settle();

        assertThat(engine.isReady()).isTrue();
        assertThat(engine.isHealthy()).isTrue();
        String routes = store(0).get(ResourceType.ROUTE, "http").body().toStringUtf8();
        assertThat(routes).contains("ok.example.com").doesNotContain("broken.example.com");
        assertThat(problems.get(GW + "/broken.example.com")).extracting(Problem::reason).containsExactly("TranslationFailed");
        assertThat(problems.get(GW + "/broken.example.com")).extracting(Problem::object)
                .containsExactly(ObjectRef.of(ObjectRef.Kind.INGRESS, "shop", "broken"));
    }

    @Test
    void aStackOverflowTranslatingOneDomainCostsOnlyThatDomain() throws Exception {
        overflowingHosts.add("deep.example.com");
        start(1);
        engine.upsert(gateway(GW, null));
        engine.upsert(service("shop", "web", 80));
        engine.upsert(ingress("shop", "ok").rule("ok.example.com", "/", "web", 80).build());
        engine.upsert(ingress("shop", "deep").rule("deep.example.com", "/", "web", 80).build());
        engine.synced();
        settle();

        assertThat(engine.isHealthy()).isTrue();
        assertThat(engine.isReady()).isTrue();
        assertThat(store(0).get(ResourceType.ROUTE, "http").body().toStringUtf8()).contains("ok.example.com")
                .doesNotContain("deep.example.com");
        assertThat(problems.get(GW + "/deep.example.com")).extracting(Problem::reason).containsExactly("TranslationFailed");
    }

    @Test
    void aLongPathOrRewriteTargetCostsOnlyItsOwnRoutesAtStartAndAfterRemoval() throws Exception {
        start(1);
        engine.upsert(gateway(GW, null));
        engine.upsert(service("shop", "web", 80));
        engine.upsert(ingress("shop", "ok").rule("ok.example.com", "/", "web", 80).build());
        engine.upsert(ingress("shop", "long-path").rule("long.example.com", "/" + "a".repeat(2_000), "web", 80).build());
        engine.upsert(new io.shardgate.translator.input.IngressInput("shop", "long-rewrite", java.time.Instant.EPOCH, GW,
                Map.of("nginx.ingress.kubernetes.io/rewrite-target", "/" + "b".repeat(20_000)), null,
                List.of(new io.shardgate.translator.input.IngressInput.Rule("rewrite.example.com", List.of(
                        new io.shardgate.translator.input.IngressInput.Path("/", "Prefix",
                                io.shardgate.translator.input.IngressInput.Backend.service("web", 80))))), List.of()));
        engine.synced();
        settle();

        assertThat(engine.isHealthy()).isTrue();
        String routes = store(0).get(ResourceType.ROUTE, "http").body().toStringUtf8();
        assertThat(routes).contains("ok.example.com", "long.example.com", "rewrite.example.com");
        assertThat(problems.get(GW + "/rewrite.example.com")).extracting(Problem::reason).containsExactly("InvalidAnnotation");
        assertThat(names(store(0), ResourceType.CLUSTER)).containsExactly("shop/web:80");

        engine.delete(ObjectRef.of(ObjectRef.Kind.INGRESS, "shop", "long-path"));
        engine.delete(ObjectRef.of(ObjectRef.Kind.INGRESS, "shop", "long-rewrite"));
        settle();
        assertThat(engine.isHealthy()).isTrue();
        assertThat(store(0).get(ResourceType.ROUTE, "http").body().toStringUtf8()).contains("ok.example.com")
                .doesNotContain("long.example.com");
        assertThat(names(store(0), ResourceType.CLUSTER)).containsExactly("shop/web:80");
    }

    @Test
    void notReadyUntilEveryShardTheTableGivesThisNodeIsTranslated() throws Exception {
        // The table writer places the shard on this node just after the engine reconciled ownership and just
        // before it checks readiness, the ownership event still on its way: the node owns a shard it has not
        // translated yet.
        java.util.concurrent.atomic.AtomicBoolean defined = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean placed = new java.util.concurrent.atomic.AtomicBoolean();
        ShardOwnership quickWriter = new ShardOwnership() {
            @Override public boolean owns(ShardId shard) { return placed.get(); }
            @Override public boolean isAssigned(ShardId shard) {
                if (defined.get()) placed.set(true);
                return placed.get();
            }
            @Override public void shardsDefined(Set<ShardId> shards) { if (!shards.isEmpty()) defined.set(true); }
        };
        start(1, java.time.Clock.systemUTC(), quickWriter);
        seedShop();
        engine.synced();
        settle();
        assertThat(engine.isReady()).as("ready with an owned shard not yet translated").isFalse();

        engine.ownershipChanged();
        settle();
        assertThat(engine.isReady()).isTrue();
        assertThat(store(0).isReady()).isTrue();
        assertThat(names(store(0), ResourceType.ROUTE)).contains("https/shop.example.com");
    }

    @Test
    void aCertificateThatExpiresWhileServedDegradesItsDomainAtThatMoment() throws Exception {
        java.time.Instant t0 = java.time.Instant.parse("2030-01-01T00:00:00Z");
        MutableClock clock = new MutableClock(t0);
        start(1, clock);
        TestCertificates.Pem shortLived = TestCertificates.selfSigned(List.of("shop.example.com"),
                t0.minusSeconds(86_400), t0.plusSeconds(3_600));
        engine.upsert(gateway(GW, null));
        engine.upsert(service("shop", "web", 80));
        engine.upsert(secret("shop", "shop-tls", shortLived));
        engine.upsert(ingress("shop", "web").rule("shop.example.com", "/", "web", 80).tls("shop.example.com", "shop-tls").build());
        engine.synced();
        settle();
        assertThat(names(store(0), ResourceType.LISTENER)).containsExactly("http", "https");
        int before = domainTranslations.get();

        clock.set(t0.plusSeconds(7_200)); // no input changes; only time passes
        engine.recheckNow().get(30, TimeUnit.SECONDS);

        assertThat(domainTranslations.get() - before).isEqualTo(1);
        assertThat(names(store(0), ResourceType.LISTENER)).containsExactly("http");
        assertThat(names(store(0), ResourceType.SECRET)).isEmpty();
        assertThat(problems.get(GW + "/shop.example.com")).extracting(Problem::reason).containsExactly("TlsCertificateExpired");
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends java.time.Clock {
        private volatile java.time.Instant now;

        MutableClock(java.time.Instant now) {
            this.now = now;
        }

        void set(java.time.Instant now) {
            this.now = now;
        }

        @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
        @Override public java.time.Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public java.time.Instant instant() { return now; }
    }

    /** One shard, owned while {@link #owning} says so; the shop seeded and served. */
    private void startShopOwnedWhile() throws Exception {
        start(1, java.time.Clock.systemUTC(), shard -> owning.get());
        seedShop();
        engine.synced();
        settle();
    }

    @Test
    void aTableThatFlickersWithoutAnOwnershipEventLosesNoDomain() throws Exception {
        // After a Hazelcast merge the member id changes before the new table arrives: for a moment the live
        // table names nobody this node knows, but only an ownership event may change what the engine holds.
        startShopOwnedWhile();
        owning.set(false);
        engine.upsert(ingress("shop", "blog").rule("blog.example.com", "/", "web", 80).build());
        settle();
        owning.set(true);
        engine.ownershipChanged();
        settle();

        assertThat(names(store(0), ResourceType.ROUTE)).contains("https/shop.example.com");
        assertThat(store(0).get(ResourceType.ROUTE, "http").body().toStringUtf8()).contains("blog.example.com");
    }

    @Test
    void aShardOwnedAgainReplacesWhatItsStoreKeptFromBefore() throws Exception {
        startShopOwnedWhile();
        owning.set(false);
        engine.ownershipChanged();
        settle();
        assertThat(names(store(0), ResourceType.CLUSTER)).as("a lost shard's store keeps its last content")
                .containsExactly("shop/web:80");

        // Changed while another node owned the shard: the old Service and its Ingress are gone.
        engine.delete(ObjectRef.of(ObjectRef.Kind.INGRESS, "shop", "web"));
        engine.upsert(service("blog", "site", 80));
        engine.upsert(ingress("blog", "site").rule("blog.example.com", "/", "site", 80).build());
        owning.set(true);
        engine.ownershipChanged();
        settle();

        assertThat(names(store(0), ResourceType.CLUSTER)).containsExactly("blog/site:80");
        assertThat(names(store(0), ResourceType.ROUTE)).containsExactly("http");
        assertThat(names(store(0), ResourceType.SECRET)).isEmpty();
    }
    @Test
    void keepsKeyMaterialOnlyForSecretsOfOwnedShardsAndFetchesTheRestWhenAShardArrives() throws Exception {
        String hostA = hostOnShard(0, 2);
        String hostB = hostOnShard(1, 2);
        Map<ObjectRef, io.shardgate.translator.input.TlsSecretInput> apiServer = new ConcurrentHashMap<>();
        List<Set<ObjectRef>> fetches = java.util.Collections.synchronizedList(new ArrayList<>());
        SecretFetcher fetcher = refs -> {
            fetches.add(Set.copyOf(refs));
            Map<ObjectRef, io.shardgate.translator.input.TlsSecretInput> out = new java.util.HashMap<>();
            refs.forEach(r -> { if (apiServer.containsKey(r)) out.put(r, apiServer.get(r)); });
            return out;
        };
        Set<Integer> owned = ConcurrentHashMap.newKeySet();
        owned.add(0);
        start(2, java.time.Clock.systemUTC(), shard -> owned.contains(shard.shard()), fetcher);
        engine.upsert(gateway(GW, 2));
        engine.upsert(service("shop", "web", 80));
        for (String host : List.of(hostA, hostB)) {
            var tls = secret("shop", host + "-tls", TestCertificates.selfSigned(List.of(host)));
            apiServer.put(tls.ref(), tls);
            engine.upsert(tls);
            engine.upsert(ingress("shop", host).rule(host, "/", "web", 80).tls(host, host + "-tls").build());
        }
        engine.synced();
        settle();
        engine.recheckNow().get(10, TimeUnit.SECONDS);

        assertThat(names(store(0), ResourceType.SECRET)).containsExactly("shop/" + hostA + "-tls");
        assertThat(secretGauge("held")).as("key material kept: the owned shard's Secret only").isEqualTo(1);
        assertThat(secretGauge("withheld")).isEqualTo(1);
        assertThat(fetches).isEmpty();

        owned.add(1);
        engine.ownershipChanged();
        settle();
        assertThat(fetches).as("fetched when its shard arrived")
                .containsExactly(Set.of(ObjectRef.of(ObjectRef.Kind.SECRET, "shop", hostB + "-tls")));
        assertThat(names(store(1), ResourceType.SECRET)).containsExactly("shop/" + hostB + "-tls");
        assertThat(names(store(1), ResourceType.LISTENER)).contains("https");
        assertThat(secretGauge("held")).isEqualTo(2);

        owned.remove(0);
        engine.ownershipChanged();
        settle();
        assertThat(secretGauge("held")).as("dropped when its shard left").isEqualTo(1);
        assertThat(secretGauge("withheld")).isEqualTo(1);
    }

    @Test
    void keyMaterialIsFetchedOffTheEngineThreadAndAWaitingDomainIsNeverServedWithoutIt() throws Exception {
        String hostA = hostOnShard(0, 2);
        String hostB = hostOnShard(1, 2);
        Map<ObjectRef, io.shardgate.translator.input.TlsSecretInput> apiServer = new ConcurrentHashMap<>();
        java.util.concurrent.CountDownLatch fetchStarted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch apiAnswers = new java.util.concurrent.CountDownLatch(1);
        SecretFetcher slowApi = slowApi(apiServer, fetchStarted, apiAnswers);
        Set<Integer> owned = ConcurrentHashMap.newKeySet();
        owned.add(0);
        start(2, java.time.Clock.systemUTC(), shard -> owned.contains(shard.shard()), slowApi);
        engine.upsert(gateway(GW, 2));
        engine.upsert(service("shop", "web", 80));
        var tlsB = secret("shop", "b-tls", TestCertificates.selfSigned(List.of(hostB)));
        apiServer.put(tlsB.ref(), tlsB);
        engine.upsert(tlsB);
        engine.upsert(ingress("shop", "b").rule(hostB, "/", "web", 80).tls(hostB, "b-tls").build());
        engine.synced();
        settle();
        engine.recheckNow().get(10, TimeUnit.SECONDS);
        assertThat(secretGauge("withheld")).isEqualTo(1);

        owned.add(1);
        engine.ownershipChanged();
        assertThat(fetchStarted.await(10, TimeUnit.SECONDS)).isTrue();
        // The API is slow: meanwhile the engine still applies other changes, and never serves hostB without its key.
        engine.upsert(ingress("shop", "a").rule(hostA, "/", "web", 80).build());
        io.shardgate.node.testing.Conditions.await("hostA served while the fetch hangs", java.time.Duration.ofSeconds(10),
                () -> store(0).get(ResourceType.ROUTE, "http") != null
                        && store(0).get(ResourceType.ROUTE, "http").body().toStringUtf8().contains(hostA));
        assertThat(store(1).isReady()).as("the shard waiting for key material is not served").isFalse();
        assertThat(problems).doesNotContainKey(GW + "/" + hostB);

        apiAnswers.countDown();
        settle();
        assertThat(store(1).isReady()).isTrue();
        assertThat(names(store(1), ResourceType.SECRET)).containsExactly("shop/b-tls");
        assertThat(names(store(1), ResourceType.ROUTE)).contains("https/" + hostB);
    }

    @Test
    void aDomainWaitingForKeyMaterialWhileItsShardIsDroppedIsServedInItsNewShardOnceTheKeyArrives() throws Exception {
        String moving = hostOf(2, 3, 0, 2);
        String elsewhere = hostOf(1, 3, 1, 2);
        Map<ObjectRef, io.shardgate.translator.input.TlsSecretInput> apiServer = new ConcurrentHashMap<>();
        java.util.concurrent.CountDownLatch fetchStarted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch apiAnswers = new java.util.concurrent.CountDownLatch(1);
        SecretFetcher slowApi = slowApi(apiServer, fetchStarted, apiAnswers);
        start(3, java.time.Clock.systemUTC(), shard -> shard.shard() != 1, slowApi);
        engine.upsert(gateway(GW, 3));
        engine.upsert(service("shop", "web", 80));
        // The Secret of a domain on a shard owned elsewhere: this node withholds its key material.
        var shared = secret("shop", "shared-tls", TestCertificates.selfSigned(List.of(moving, elsewhere)));
        apiServer.put(shared.ref(), shared);
        engine.upsert(shared);
        engine.upsert(ingress("shop", "elsewhere").rule(elsewhere, "/", "web", 80).tls(elsewhere, "shared-tls").build());
        engine.upsert(ingress("shop", "moving").rule(moving, "/", "web", 80).build());
        engine.synced();
        settle();
        engine.recheckNow().get(10, TimeUnit.SECONDS);
        assertThat(secretGauge("withheld")).isEqualTo(1);
        assertThat(store(2).get(ResourceType.ROUTE, "http").body().toStringUtf8()).contains(moving);

        // The domain now needs the withheld Secret: it waits for the fetch, still placed in shard 2 ...
        engine.upsert(ingress("shop", "moving").rule(moving, "/", "web", 80).tls(moving, "shared-tls").build());
        assertThat(fetchStarted.await(10, TimeUnit.SECONDS)).isTrue();
        // ... which is dropped while it waits: the gateway goes down to 2 shards.
        engine.upsert(gateway(GW, 2));
        io.shardgate.node.testing.Conditions.await("shard 2 dropped while the fetch hangs", java.time.Duration.ofSeconds(10),
                () -> !engine.ownedShards().containsKey(new ShardId(GW, 2)));
        apiAnswers.countDown();
        io.shardgate.node.testing.Conditions.await("the domain served with its key in shard 0", java.time.Duration.ofSeconds(10),
                () -> names(store(0), ResourceType.SECRET).contains("shop/shared-tls"));
        settle();
        assertThat(engine.isHealthy()).as("every drain completed").isTrue();
        assertThat(names(store(0), ResourceType.ROUTE)).contains("https/" + moving);
        assertThat(servedShards.get(ObjectRef.of(ObjectRef.Kind.INGRESS, "shop", "moving"))).as("its status").containsExactly(0);
    }

    /** An API server that answers a fetch from {@code apiServer} once {@code answers} opens, telling when a fetch began. */
    private static SecretFetcher slowApi(Map<ObjectRef, io.shardgate.translator.input.TlsSecretInput> apiServer,
            java.util.concurrent.CountDownLatch started, java.util.concurrent.CountDownLatch answers) {
        return refs -> {
            started.countDown();
            try {
                answers.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Map<ObjectRef, io.shardgate.translator.input.TlsSecretInput> out = new java.util.HashMap<>();
            refs.forEach(r -> { if (apiServer.containsKey(r)) out.put(r, apiServer.get(r)); });
            return out;
        };
    }

    /** A host on one shard of a gateway of {@code shardsBefore} shards and on another once it has {@code shardsAfter}. */
    private static String hostOf(int shardBefore, int shardsBefore, int shardAfter, int shardsAfter) {
        for (int i = 0; ; i++) {
            String host = "tls-" + i + ".example.com";
            if (DomainSharding.shardOf(host, shardsBefore) == shardBefore && DomainSharding.shardOf(host, shardsAfter) == shardAfter) {
                return host;
            }
        }
    }

    @Test
    void anIngressStatusNamesTheShardsOfAllItsHostsWhicheverThisNodeOwns() throws Exception {
        String onZero = hostOnShard(0, 2);
        String onOne = hostOnShard(1, 2);
        start(2, java.time.Clock.systemUTC(), shard -> shard.shard() == 0);
        engine.upsert(gateway(GW, 2));
        engine.upsert(service("shop", "web", 80));
        engine.upsert(ingress("shop", "both").rule(onZero, "/", "web", 80).rule(onOne, "/", "web", 80).build());
        engine.synced();
        settle();

        ObjectRef both = ObjectRef.of(ObjectRef.Kind.INGRESS, "shop", "both");
        assertThat(served).containsExactly(both);
        assertThat(servedShards.get(both)).containsExactly(0, 1);
    }

    private double secretGauge(String state) {
        return registry.get("shardgate.secrets").tag("key_material", state).gauge().value();
    }

    private static String hostOnShard(int shard, int shards) {
        for (int i = 0; ; i++) {
            String host = "tls-" + i + ".example.com";
            if (DomainSharding.shardOf(host, shards) == shard) return host;
        }
    }

    @Test
    void anHttpRouteIsServedOnlyWhileAGatewayOfAShardgateClassAttachesItAndFollowsItsListener() throws Exception {
        start(1);
        ObjectRef routeRef = ObjectRef.of(ObjectRef.Kind.HTTP_ROUTE, "shop", "store");
        engine.upsert(new GatewayClassInput(GW, IngressClassInput.CONTROLLER));
        engine.upsert(service("shop", "web", 80));
        engine.upsert(new HttpRouteInput("shop", "store", 1, java.time.Instant.EPOCH,
                List.of(new HttpRouteInput.ParentRef(null, null, null, "edge", null, null)), List.of("store.example.com"),
                List.of(new HttpRouteInput.Rule(List.of(), List.of(new HttpRouteInput.BackendRef(null, null, null, "web", 80, null))))));
        engine.synced();
        settle();
        assertThat(httpVirtualHosts()).as("no Gateway yet: the route attaches to nothing").isEmpty();

        engine.upsert(edgeGateway("*.example.com"));
        settle();
        assertThat(httpVirtualHosts()).containsExactly("store.example.com");
        assertThat(names(store(0), ResourceType.CLUSTER)).containsExactly("shop/web:80");
        assertThat(served).as("HTTPRoute status is not written yet").doesNotContain(routeRef);

        engine.upsert(edgeGateway("*.example.org"));
        settle();
        assertThat(httpVirtualHosts()).as("the listener no longer covers the route's hostname").isEmpty();

        engine.upsert(edgeGateway(null));
        settle();
        assertThat(httpVirtualHosts()).containsExactly("store.example.com");
        engine.delete(ObjectRef.of(ObjectRef.Kind.GATEWAY_CLASS, "", GW));
        settle();
        assertThat(httpVirtualHosts()).as("the class that made it a Shardgate gateway is gone").isEmpty();
    }

    /**
     * A ListenerSet's listener admitting routes by their Namespace's labels: the route is served once its Namespace is
     * labelled so, and no longer once the label goes, though no Gateway listener selects namespaces by label.
     */
    @Test
    void aListenerSetsNamespaceSelectorFollowsTheRoutesNamespaceLabels() throws Exception {
        start(1);
        engine.upsert(new GatewayClassInput(GW, IngressClassInput.CONTROLLER));
        engine.upsert(service("shop", "web", 80));
        engine.upsert(new GatewayInput("infra", "edge", 1, GW, List.of(new GatewayInput.Listener("http", null, 80, "HTTP", null)), null,
                List.of(), "All"));
        LabelSelector shopTeam = new LabelSelector(new java.util.TreeMap<>(Map.of("team", "shop")), List.of());
        engine.upsert(new ListenerSetInput("team", "extra", 1, java.time.Instant.EPOCH, new ListenerSetInput.ParentRef(null, null, "infra",
                "edge"), List.of(new GatewayInput.Listener("store", "store.example.com", 8080, "HTTP", "Selector", null, List.of(), List.of(),
                shopTeam))));
        engine.upsert(new HttpRouteInput("shop", "store", 1, java.time.Instant.EPOCH,
                List.of(new HttpRouteInput.ParentRef("gateway.networking.k8s.io", "ListenerSet", "team", "extra", null, null)), List.of(),
                List.of(new HttpRouteInput.Rule(List.of(), List.of(new HttpRouteInput.BackendRef(null, null, null, "web", 80, null))))));
        engine.upsert(new NamespaceInput("shop", Map.of()));
        engine.synced();
        settle();
        assertThat(httpVirtualHosts()).as("the route's Namespace is not labelled for the listener").isEmpty();

        engine.upsert(new NamespaceInput("shop", Map.of("team", "shop")));
        settle();
        assertThat(httpVirtualHosts()).containsExactly("store.example.com");

        engine.upsert(new NamespaceInput("shop", Map.of("team", "games")));
        settle();
        assertThat(httpVirtualHosts()).isEmpty();
    }

    /**
     * A Gateway admitting ListenerSets by their Namespace's labels (allowedListeners Selector): the set's listener serves
     * its route's host once the set's Namespace is labelled so, and no longer once the label goes.
     */
    @Test
    void aGatewayAdmitsListenerSetsByTheirNamespacesLabels() throws Exception {
        start(1);
        engine.upsert(new GatewayClassInput(GW, IngressClassInput.CONTROLLER));
        engine.upsert(service("team", "web", 80));
        LabelSelector tenants = new LabelSelector(new java.util.TreeMap<>(Map.of("tenant", "yes")), List.of());
        engine.upsert(new GatewayInput("infra", "edge", 1, GW, List.of(new GatewayInput.Listener("http", "edge.example.com", 80, "HTTP", null)),
                null, List.of(), "Selector", tenants));
        engine.upsert(new ListenerSetInput("team", "extra", 1, java.time.Instant.EPOCH, new ListenerSetInput.ParentRef(null, null, "infra",
                "edge"), List.of(new GatewayInput.Listener("store", "store.example.com", 8080, "HTTP", "Same"))));
        engine.upsert(new HttpRouteInput("team", "store", 1, java.time.Instant.EPOCH,
                List.of(new HttpRouteInput.ParentRef("gateway.networking.k8s.io", "ListenerSet", "team", "extra", null, null)), List.of(),
                List.of(new HttpRouteInput.Rule(List.of(), List.of(new HttpRouteInput.BackendRef(null, null, null, "web", 80, null))))));
        engine.upsert(new NamespaceInput("team", Map.of()));
        engine.synced();
        settle();
        assertThat(httpVirtualHosts()).as("the set's Namespace is not labelled for the Gateway").isEmpty();

        engine.upsert(new NamespaceInput("team", Map.of("tenant", "yes")));
        settle();
        assertThat(httpVirtualHosts()).containsExactly("store.example.com");

        engine.delete(ObjectRef.of(ObjectRef.Kind.NAMESPACE, "", "team"));
        settle();
        assertThat(httpVirtualHosts()).as("its Namespace is gone").isEmpty();
    }

    private static GatewayInput edgeGateway(String hostname) {
        return new GatewayInput("shop", "edge", 1, GW, List.of(new GatewayInput.Listener("http", hostname, 80, "HTTP", null)));
    }

    /** The virtual hosts of the plain-HTTP route configuration of shard 0; empty when it is not served. */
    private List<String> httpVirtualHosts() throws Exception {
        XdsResource http = store(0).get(ResourceType.ROUTE, "http");
        if (http == null) return List.of();
        return io.envoyproxy.envoy.config.route.v3.RouteConfiguration.parseFrom(http.body()).getVirtualHostsList().stream()
                .map(io.envoyproxy.envoy.config.route.v3.VirtualHost::getName).toList();
    }
}
