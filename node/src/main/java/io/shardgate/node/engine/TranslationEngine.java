package io.shardgate.node.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shardgate.node.report.ProblemReporter;
import io.shardgate.node.report.StatusWriter;
import io.shardgate.node.source.InputSink;
import io.shardgate.node.store.ShardDirectory;
import io.shardgate.node.store.ShardKey;
import io.shardgate.sharding.DomainSharding;
import io.shardgate.translator.Problem;
import io.shardgate.translator.Translator;
import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.domain.DomainResult;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.input.TlsSecretInput;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import io.shardgate.translator.shard.SharedResources;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns input changes into shard store changes, doing work only for what changed.
 *
 * <p>Threading: sources call the {@link InputSink} methods from any thread; they only record the latest
 * projection per object (so a burst of updates to one object collapses to one) and wake the engine
 * thread. The engine thread drains everything pending, updates the {@link InputIndex}, translates the
 * invalidated domains (in parallel on the common pool when there are many; translation is pure and the
 * index is not mutated meanwhile), then applies the results to each owned shard and flushes one batch
 * per shard to its store. No fixed debounce: the first change after idle is translated at once, and
 * changes arriving during a drain ride the next one.
 */
public final class TranslationEngine implements InputSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TranslationEngine.class);
    private static final int PARALLEL_THRESHOLD = 64;
    private static final Optional<InputObject> DELETED = Optional.empty();

    private final Translator translator;
    private final ShardDirectory directory;
    private final ShardOwnership ownership;
    private final int defaultShards;
    private final ProblemReporter reporter;
    private final StatusWriter status;
    private final MeterRegistry metrics;
    private final InputIndex index;
    private final SecretFetcher secretFetcher;
    /** Secrets whose key material may no longer be needed here, checked at the end of the drain. */
    private final Set<ObjectRef> secretsToReview = new java.util.HashSet<>();
    /** Secrets whose last translation reported problems: cleared once no owned shard serves them. */
    private final Set<ObjectRef> secretsWithProblems = new java.util.HashSet<>();
    private volatile int secretsHeld;
    private volatile int secretsWithheld;
    private volatile int shardsUnplaced;
    private final Clock clock;
    /** Domains to translate again at an instant although no input changes (certificate validity). */
    private final TreeMap<Instant, Set<DomainKey>> rechecks = new TreeMap<>();
    private final Map<DomainKey, Instant> recheckOf = new HashMap<>();

    private final ConcurrentHashMap<ObjectRef, Optional<InputObject>> pending = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean synced;
    private volatile boolean ready;
    private volatile boolean closed;
    private volatile boolean failed;
    private boolean pendingOwnershipCheck;
    private volatile Map<ShardKey, Integer> ownedSnapshot = Map.of();
    private final AtomicLong received = new AtomicLong();
    private final java.util.Queue<Runnable> tasks = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private long applied;
    private final Thread thread;

    // engine-thread state
    private final Map<String, Integer> gatewayShards = new TreeMap<>();
    private final Map<ShardKey, ShardState> shards = new HashMap<>();
    /** Set at the start of each drain, once its inputs are applied to the index. */
    private DrainClusterLookup clusterLookup;
    private final Map<DomainKey, ShardKey> domainLocation = new HashMap<>();
    private final Map<ObjectRef, Integer> servedIngresses = new HashMap<>();
    private final Timer drainTimer;
    private final Counter domainsTranslated;

    public TranslationEngine(Translator translator, ShardDirectory directory, ShardOwnership ownership, int defaultShards,
                             ProblemReporter reporter, StatusWriter status, MeterRegistry metrics) {
        this(translator, directory, ownership, defaultShards, reporter, status, metrics, Clock.systemUTC());
    }

    /** @param clock when certificates become valid or expire (the translator's clock) */
    public TranslationEngine(Translator translator, ShardDirectory directory, ShardOwnership ownership, int defaultShards,
                             ProblemReporter reporter, StatusWriter status, MeterRegistry metrics, Clock clock) {
        this(translator, directory, ownership, defaultShards, reporter, status, metrics, clock, null);
    }

    /**
     * @param secretFetcher when given, TLS key material is kept only for Secrets an owned shard serves; the
     *                      others are fetched with it when a domain needs them (null: keep every Secret)
     */
    public TranslationEngine(Translator translator, ShardDirectory directory, ShardOwnership ownership, int defaultShards,
                             ProblemReporter reporter, StatusWriter status, MeterRegistry metrics, Clock clock,
                             SecretFetcher secretFetcher) {
        this.clock = clock;
        this.secretFetcher = secretFetcher;
        if (defaultShards < 1) throw new IllegalArgumentException("default shard count must be at least 1");
        this.translator = translator;
        this.directory = directory;
        this.ownership = ownership;
        this.defaultShards = defaultShards;
        this.reporter = reporter;
        this.status = status;
        this.metrics = metrics;
        this.index = new InputIndex(translator);
        this.drainTimer = Timer.builder("shardgate.translation.duration")
                .description("Time to translate and apply one drain of input changes")
                .publishPercentileHistogram().register(metrics);
        this.domainsTranslated = Counter.builder("shardgate.domains.translated")
                .description("Domains translated (each re-translation counts)").register(metrics);
        Gauge.builder("shardgate.shards.owned", this, e -> e.ownedSnapshot.size())
                .description("Shards this node owns (translates and serves)").register(metrics);
        Gauge.builder("shardgate.shards.unplaced", this, e -> e.shardsUnplaced)
                .description("Shards of every gateway that the cluster's shard table gives to no node").register(metrics);
        Gauge.builder("shardgate.secrets", this, e -> e.secretsHeld).tag("key_material", "held")
                .description("TLS Secrets known to this node, by whether it keeps their key material").register(metrics);
        Gauge.builder("shardgate.secrets", this, e -> e.secretsWithheld).tag("key_material", "withheld")
                .description("TLS Secrets known to this node, by whether it keeps their key material").register(metrics);
        Gauge.builder("shardgate.ready", () -> ready ? 1 : 0)
                .description("1 once every owned shard is fully translated").register(metrics);
        this.thread = new Thread(this::run, "shardgate-engine");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    // ---- InputSink: any thread ----

    @Override
    public void upsert(InputObject object) {
        pending.put(object.ref(), Optional.of(object));
        received.incrementAndGet();
        wake.release();
    }

    @Override
    public void delete(ObjectRef ref) {
        pending.put(ref, DELETED);
        received.incrementAndGet();
        wake.release();
    }

    @Override
    public void synced() {
        synced = true;
        received.incrementAndGet();
        wake.release();
    }

    /**
     * An Envoy rejected resources of a shard: finds the domains that produced them and reports the rejection
     * on their Ingresses (reason {@code EnvoyRejected}). Runs on the engine thread, which owns the state.
     */
    public void attributeRejection(ShardKey shard, ResourceType type, Set<String> names, String error) {
        tasks.add(() -> {
            ShardState state = shards.get(shard);
            if (state == null) return;
            for (String host : state.assembly().hostsBehind(type, names, error)) {
                DomainResult result = state.assembly().domain(host);
                List<Problem> problems = result.sources().stream().map(ingress -> new Problem(ingress, host, "EnvoyRejected",
                        "Envoy rejected " + type.name().toLowerCase(java.util.Locale.ROOT) + " " + names + ": " + error))
                        .toList();
                reporter.report("rejected " + shard + "/" + host, problems);
            }
        });
        wake.release();
    }

    /**
     * The shard table changed: start translating newly owned shards (served once fully translated) and
     * stop working on lost ones. A lost shard's store keeps its last content for clients still connected,
     * so none of them ever sees a domain disappear because of a hand-over.
     */
    public void ownershipChanged() {
        tasks.add(() -> pendingOwnershipCheck = true);
        received.incrementAndGet();
        wake.release();
    }

    /** Domains translated by this node since it started (each re-translation counts). */
    public long domainsTranslated() {
        return (long) domainsTranslated.count();
    }

    /** Domains per owned shard, as of the last drain (for tests, /debug and the per-node metrics). */
    public Map<ShardKey, Integer> ownedShards() {
        return ownedSnapshot;
    }

    /**
     * Wakes the engine to act on time-based state (certificate validity) at once, instead of at its next
     * timed wake-up; completes after that drain. For a clock moved by hand (tests, benchmarks).
     */
    public CompletableFuture<Void> recheckNow() {
        return whenApplied(received.incrementAndGet());
    }

    /** How many input calls this engine has received so far (a position for {@link #whenApplied}). */
    public long received() {
        return received.get();
    }

    /** Completes once every input call up to {@code position} has been translated and flushed to the stores. */
    public CompletableFuture<Void> whenApplied(long position) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (waiters) {
            if (applied >= position) return CompletableFuture.completedFuture(null);
            waiters.add(new Waiter(position, done));
        }
        wake.release();
        return done;
    }

    private record Waiter(long position, CompletableFuture<Void> done) {}

    /** True once the sources synced and every owned shard has been fully translated. */
    public boolean isReady() {
        return ready && !failed;
    }

    /** False once a drain failed on a bug: its changes are lost and the shards may be incomplete. */
    public boolean isHealthy() {
        return !failed && thread.isAlive();
    }

    @Override
    public void close() {
        closed = true;
        wake.release();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- engine thread ----

    private void run() {
        while (!closed) {
            try {
                awaitWork();
                wake.drainPermits();
                if (closed) return;
                drain();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                // Not a bad input (those are contained per domain) but a bug: what this drain held is lost, so
                // the shard can no longer be trusted complete. Report unhealthy and let the orchestrator restart us.
                failed = true;
                log.error("translation drain failed; the node reports unhealthy from now on", e);
            }
        }
    }

    /** Sleeps until a change arrives or the next certificate validity boundary passes. */
    private void awaitWork() throws InterruptedException {
        Instant next = rechecks.isEmpty() ? null : rechecks.firstKey();
        if (next == null) {
            wake.acquire();
            return;
        }
        long millis = Math.max(0, java.time.Duration.between(clock.instant(), next).toMillis());
        if (millis > 0) wake.tryAcquire(Math.min(millis, TimeUnit.HOURS.toMillis(1)), TimeUnit.MILLISECONDS);
    }

    private void dueRechecks(Dirty dirty) {
        var due = rechecks.headMap(clock.instant(), true);
        due.values().forEach(dirty.domains::addAll);
        due.values().forEach(keys -> keys.forEach(recheckOf::remove));
        due.clear();
    }

    private void scheduleRecheck(DomainKey d, Optional<Instant> at) {
        Instant old = at.isPresent() ? recheckOf.put(d, at.get()) : recheckOf.remove(d);
        if (old != null) {
            Set<DomainKey> keys = rechecks.get(old);
            if (keys != null && keys.remove(d) && keys.isEmpty()) rechecks.remove(old);
        }
        at.ifPresent(instant -> rechecks.computeIfAbsent(instant, i -> new java.util.HashSet<>()).add(d));
    }

    private void drain() {
        // Read before taking the pending keys: every call counted here has already put its key.
        long position = received.get();
        boolean syncedAtStart = synced;
        for (Runnable task; (task = tasks.poll()) != null; ) task.run();
        long start = System.nanoTime();
        Dirty dirty = new Dirty();
        for (ObjectRef ref : List.copyOf(pending.keySet())) {
            Optional<InputObject> change = pending.remove(ref);
            if (change == null) continue;
            if (change.isPresent()) {
                index.upsert(change.get(), dirty);
            } else {
                index.delete(ref, dirty);
            }
        }
        clusterLookup = new DrainClusterLookup();
        dueRechecks(dirty);
        if (!dirty.gateways.isEmpty()) syncGateways(dirty);
        if (pendingOwnershipCheck || !dirty.gateways.isEmpty()) reconcileOwnership(dirty);
        translateDomains(dirty);
        for (ObjectRef service : dirty.endpoints) shards.values().forEach(s -> s.assembly().endpointsChanged(service, clusterLookup));
        for (ObjectRef secret : dirty.secrets) shards.values().forEach(s -> s.assembly().secretChanged(secret, clusterLookup));
        shards.values().forEach(ShardState::flush);
        retireShards();
        Map<ShardKey, Integer> owned = new TreeMap<>();
        shards.forEach((k, state) -> owned.put(k, state.assembly().domainCount()));
        ownedSnapshot = Map.copyOf(owned);
        boolean allPlaced = placementSettled();
        if (syncedAtStart && !ready && allPlaced) {
            shards.values().forEach(s -> s.store().markReady());
            ready = true;
            directory.markSynced();
            log.info("ready: {} gateways, {} shards owned, {} domains", gatewayShards.size(), shards.size(),
                    domainLocation.size());
        } else if (ready) {
            shards.values().forEach(s -> s.store().markReady());
        }
        withholdUnusedSecrets(dirty);
        forgetProblemsOfUnusedSecrets();
        if (!dirty.isEmpty()) drainTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        completeWaiters(position);
    }

    private void completeWaiters(long position) {
        List<Waiter> done = new ArrayList<>();
        synchronized (waiters) {
            applied = position;
            waiters.removeIf(w -> w.position <= position && done.add(w));
        }
        done.forEach(w -> w.done.complete(null));
    }

    /** Brings gateways and their owned shard states in line with the IngressClasses. */
    private void syncGateways(Dirty dirty) {
        Map<String, Integer> desired = new TreeMap<>();
        for (IngressClassInput c : index.gateways().values()) {
            desired.put(c.name(), c.shards() == null ? defaultShards : c.shards());
        }
        for (Map.Entry<String, Integer> current : Map.copyOf(gatewayShards).entrySet()) {
            String gateway = current.getKey();
            if (current.getValue().equals(desired.get(gateway))) continue;
            // Removed or re-sharded: every domain moves (or goes); retranslate them all, then drop old shards.
            shards.keySet().stream().filter(k -> k.gateway().equals(gateway))
                    .forEach(k -> shards.get(k).assembly().hosts().forEach(h -> dirty.domains.add(new DomainKey(gateway, h))));
            gatewayShards.remove(gateway);
            if (!desired.containsKey(gateway)) directory.removeGateway(gateway);
        }
        for (Map.Entry<String, Integer> d : desired.entrySet()) {
            if (gatewayShards.containsKey(d.getKey())) continue;
            gatewayShards.put(d.getKey(), d.getValue());
            directory.defineGateway(d.getKey(), d.getValue());
            for (int shard = 0; shard < d.getValue(); shard++) {
                ShardKey key = new ShardKey(d.getKey(), shard);
                if (ownership.owns(key)) shards.computeIfAbsent(key, this::newShardState);
            }
            index.hostsOf(d.getKey()).forEach(h -> dirty.domains.add(new DomainKey(d.getKey(), h)));
        }
        java.util.Set<ShardKey> all = new java.util.TreeSet<>();
        gatewayShards.forEach((g, count) -> {
            for (int shard = 0; shard < count; shard++) all.add(new ShardKey(g, shard));
        });
        ownership.shardsDefined(all);
    }

    /** Creates state for newly owned shards (marking their domains for translation), forgets lost ones. */
    private void reconcileOwnership(Dirty dirty) {
        pendingOwnershipCheck = false;
        for (Map.Entry<String, Integer> gateway : gatewayShards.entrySet()) {
            for (int shard = 0; shard < gateway.getValue(); shard++) {
                ShardKey key = new ShardKey(gateway.getKey(), shard);
                boolean owned = ownership.owns(key);
                if (owned && !shards.containsKey(key)) {
                    shards.put(key, newShardState(key));
                    for (String host : index.hostsOf(key.gateway())) {
                        if (DomainSharding.shardOf(host, gateway.getValue()) == shard) dirty.domains.add(new DomainKey(key.gateway(), host));
                    }
                } else if (!owned && shards.containsKey(key)) {
                    forget(key);
                }
            }
        }
    }

    /** Stops working on a shard this node no longer owns; its store keeps what clients were last sent. */
    private void forget(ShardKey key) {
        ShardState state = shards.remove(key);
        state.store().markNotReady();
        if (secretFetcher != null) secretsToReview.addAll(state.assembly().secrets());
        for (String host : List.copyOf(state.assembly().hosts())) {
            DomainKey d = new DomainKey(key.gateway(), host);
            domainLocation.remove(d);
            scheduleRecheck(d, Optional.empty());
            // Its new owner reports on it from now on.
            reporter.report(d.toString(), List.of());
            if (state.assembly().domain(host) instanceof DomainResult.Served served) {
                for (ObjectRef ref : served.sources()) {
                    if (servedIngresses.computeIfPresent(ref, (k, n) -> n == 1 ? null : n - 1) == null) status.released(ref);
                }
            }
        }
        removeShardGauge(key);
        log.info("shard {} is owned elsewhere now: stopped translating its {} domains", key, state.assembly().domainCount());
    }

    /**
     * Every shard has an owner, and the shards the table gives this node are exactly those it has translated
     * (a table that changed since this drain reconciled ownership is followed by an ownership event; until
     * that drain, the node may own a shard it has not translated).
     */
    private boolean placementSettled() {
        int unplaced = 0;
        boolean matches = true;
        for (Map.Entry<String, Integer> gateway : gatewayShards.entrySet()) {
            for (int shard = 0; shard < gateway.getValue(); shard++) {
                ShardKey key = new ShardKey(gateway.getKey(), shard);
                if (!ownership.isAssigned(key)) unplaced++;
                else if (ownership.owns(key) != shards.containsKey(key)) matches = false;
            }
        }
        shardsUnplaced = unplaced;
        return unplaced == 0 && matches;
    }

    private void removeShardGauge(ShardKey k) {
        metrics.find("shardgate.shard.domains").tags("gateway", k.gateway(), "shard", Integer.toString(k.shard()))
                .meters().forEach(metrics::remove);
    }

    /** Drops shard states of removed gateways and of shard indexes beyond a lowered shard count. */
    private void retireShards() {
        shards.keySet().removeIf(k -> {
            Integer count = gatewayShards.get(k.gateway());
            boolean retired = count == null || k.shard() >= count;
            if (retired) removeShardGauge(k);
            return retired;
        });
    }

    private ShardState newShardState(ShardKey key) {
        ShardState state = new ShardState(directory.store(key), translator);
        Gauge.builder("shardgate.shard.domains", state, s -> s.assembly().servedDomainCount())
                .description("Domains served (perhaps degraded) by an owned shard; rejected ones are not counted")
                .tags("gateway", key.gateway(), "shard", Integer.toString(key.shard()))
                .register(metrics);
        return state;
    }

    private void translateDomains(Dirty dirty) {
        List<DomainKey> work = new ArrayList<>(dirty.domains.size());
        List<DomainKey> gone = new ArrayList<>();
        for (DomainKey d : dirty.domains) {
            ShardKey target = targetShard(d);
            if (target != null && shards.containsKey(target) && !index.claims(d.gateway(), d.host()).isEmpty()) {
                work.add(d);
            } else {
                gone.add(d);
            }
        }
        for (DomainKey d : gone) place(d, null, null);

        Map<DomainKey, Translated> results = translateAll(work);
        if (secretFetcher != null) {
            Set<ObjectRef> needed = new TreeSet<>();
            results.values().forEach(t -> needed.addAll(t.withheld));
            if (!needed.isEmpty()) {
                restoreSecrets(needed);
                results.putAll(translateAll(work.stream().filter(d -> !results.get(d).withheld.isEmpty()).toList()));
            }
        }
        for (DomainKey d : work) {
            Translated t = results.get(d);
            index.recordDependencies(d, t.lookedUp);
            place(d, targetShard(d), t.result);
        }
        domainsTranslated.increment(work.size());
    }

    private Map<DomainKey, Translated> translateAll(List<DomainKey> work) {
        var stream = work.size() >= PARALLEL_THRESHOLD ? work.parallelStream() : work.stream();
        return stream.collect(Collectors.toMap(d -> d, this::translate));
    }

    /**
     * Fetches the key material of Secrets a domain of an owned shard needs (blocking the engine, which cannot
     * translate those domains without it). A few retries ride out a brief API outage; after that they count
     * as missing, and the domains are served as a missing Secret dictates until the Secret next changes.
     */
    private void restoreSecrets(Set<ObjectRef> needed) {
        long[] backoffMillis = {0, 200, 1_000, 3_000};
        for (long backoff : backoffMillis) {
            try {
                if (backoff > 0) Thread.sleep(backoff);
                Map<ObjectRef, TlsSecretInput> fetched = secretFetcher.fetch(needed);
                needed.forEach(ref -> index.restore(ref, fetched.get(ref)));
                secretsToReview.addAll(needed);
                log.debug("fetched the key material of {} Secrets", needed.size());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                log.warn("fetching {} Secrets failed: {}", needed.size(), e.toString());
            }
        }
        log.error("could not fetch {} Secrets; their domains are served without them until they change", needed.size());
        needed.forEach(ref -> index.restore(ref, null));
    }

    /** A Secret no owned shard serves any more is not this node's to report on. */
    private void forgetProblemsOfUnusedSecrets() {
        secretsWithProblems.removeIf(ref -> {
            boolean unused = shards.values().stream().noneMatch(s -> s.assembly().usesSecret(ref));
            if (unused) reporter.report(secretSubject(ref), List.of());
            return unused;
        });
    }

    private static String secretSubject(ObjectRef secret) {
        return "secret " + secret.namespace() + "/" + secret.name();
    }

    /** Drops the key material of Secrets no owned shard serves (the index remembers they exist). */
    private void withholdUnusedSecrets(Dirty dirty) {
        if (secretFetcher != null) {
            secretsToReview.addAll(dirty.secrets);
            // Until ready, ownership is not known yet: dropping now would mean fetching most of it back.
            if (ready) {
                for (ObjectRef ref : secretsToReview) {
                    if (shards.values().stream().noneMatch(s -> s.assembly().usesSecret(ref))) index.withhold(ref);
                }
                secretsToReview.clear();
            }
        }
        secretsHeld = index.secretsHeld();
        secretsWithheld = index.secretsWithheld();
    }

    private Translated translate(DomainKey d) {
        RecordingInputs inputs = new RecordingInputs(index, d.gateway());
        DomainResult result;
        try {
            result = translator.translateDomain(d.host(), inputs);
        } catch (Throwable e) {
            // A translator bug, or input that defeats it (deep recursion), must cost this domain only, never the
            // drain and with it the rest of the shard. Only a failing JVM (out of memory) stops the drain.
            if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) throw (VirtualMachineError) e;
            log.error("translating {} failed", d, e);
            SortedSet<ObjectRef> sources = new TreeSet<>();
            index.claims(d.gateway(), d.host()).forEach(i -> sources.add(i.ref()));
            result = new DomainResult.Rejected(d.host(), sources, sources.stream().map(ref -> new Problem(ref, d.host(),
                    "TranslationFailed", "internal error translating this domain: " + e)).toList());
        }
        return new Translated(result, inputs.lookedUp(), inputs.withheld());
    }

    private record Translated(DomainResult result, Set<ObjectRef> lookedUp, Set<ObjectRef> withheld) {}

    /** Moves a domain's result into its shard (null result or shard: the domain is no longer served here). */
    private void place(DomainKey d, ShardKey target, DomainResult result) {
        ShardKey current = domainLocation.get(d);
        DomainResult previous = current == null ? null : shards.get(current).assembly().domain(d.host());
        if (current != null && !current.equals(target)) {
            shards.get(current).assembly().apply(d.host(), null, clusterLookup);
            domainLocation.remove(d);
        }
        if (target != null && result != null) {
            shards.get(target).assembly().apply(d.host(), result, clusterLookup);
            domainLocation.put(d, target);
        } else {
            index.recordDependencies(d, Set.of());
        }
        trackServedIngresses(previous, target == null ? null : result);
        scheduleRecheck(d, target == null || result == null ? Optional.empty() : result.recheckAt());
        reporter.report(d.toString(), result == null ? List.of() : result.problems());
    }

    private ShardKey targetShard(DomainKey d) {
        Integer count = gatewayShards.get(d.gateway());
        if (count == null) return null;
        ShardKey key = new ShardKey(d.gateway(), DomainSharding.shardOf(d.host(), count));
        // The engine's own view (changed only by reconcileOwnership), never the live table: a domain placed
        // while the table says otherwise would be dropped from a shard the engine still holds, and the next
        // reconcile, seeing the shard still owned, would never bring it back.
        return shards.containsKey(key) ? key : null;
    }

    private void trackServedIngresses(DomainResult before, DomainResult after) {
        if (before instanceof DomainResult.Served s) {
            for (ObjectRef ref : s.sources()) {
                if (servedIngresses.computeIfPresent(ref, (k, n) -> n == 1 ? null : n - 1) == null) status.notServed(ref);
            }
        }
        if (after instanceof DomainResult.Served s) {
            for (ObjectRef ref : s.sources()) {
                servedIngresses.merge(ref, 1, Integer::sum);
                // Every time, not only the first: an edit may have moved one of its hosts to another shard.
                // The writer ignores a repeated wish.
                String gateway = index.gatewayOfIngress(ref);
                if (gateway != null) status.served(ref, gateway, shardsOfIngress(gateway, ref));
            }
        }
    }

    private SortedSet<Integer> shardsOfIngress(String gateway, ObjectRef ingress) {
        SortedSet<Integer> shards = new TreeSet<>();
        int count = gatewayShards.getOrDefault(gateway, defaultShards);
        for (String host : index.hostsOfIngress(ingress)) shards.add(DomainSharding.shardOf(host, count));
        return shards;
    }

    /**
     * Clusters and load assignments as of this drain's inputs, each translated once however many shards use it
     * (a Service used by every shard would otherwise be translated once per shard). A load assignment does not
     * depend on the cluster's protocol variant, so it is keyed by its name.
     */
    private final class DrainClusterLookup implements SharedResources {
        private final Map<ClusterKey, XdsResource> clusters = new HashMap<>();
        private final Map<String, XdsResource> loadAssignments = new HashMap<>();

        @Override
        public XdsResource cluster(ClusterKey key) {
            return clusters.computeIfAbsent(key, translator::cluster);
        }

        @Override
        public XdsResource loadAssignment(ClusterKey key) {
            return loadAssignments.computeIfAbsent(key.endpointsName(), name -> {
                ObjectRef service = ObjectRef.of(ObjectRef.Kind.SERVICE, key.namespace(), key.service());
                return translator.loadAssignment(key, index.service(service), index.slicesOf(service));
            });
        }

        @Override
        public Optional<XdsResource> secret(ObjectRef ref) {
            return index.secret(ref).flatMap(input -> {
                Translator.SecretResult result = translator.secret(input);
                List<Problem> problems = result instanceof Translator.SecretResult.Invalid i ? i.problems() : List.of();
                reporter.report(secretSubject(ref), problems);
                if (problems.isEmpty()) secretsWithProblems.remove(ref); else secretsWithProblems.add(ref);
                return result instanceof Translator.SecretResult.Valid v ? Optional.of(v.resource()) : Optional.empty();
            });
        }
    }
}
