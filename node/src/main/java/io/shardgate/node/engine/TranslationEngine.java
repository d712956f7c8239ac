package io.shardgate.node.engine;

import io.micrometer.core.instrument.MeterRegistry;
import io.shardgate.node.report.GatewayApiStatus;
import io.shardgate.node.report.ProblemReporter;
import io.shardgate.node.report.StatusWriter;
import io.shardgate.node.source.InputSink;
import io.shardgate.node.store.ShardDirectory;
import io.shardgate.sharding.ShardId;
import io.shardgate.sharding.Watermark;
import io.shardgate.translator.Problem;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.Translator;
import io.shardgate.translator.domain.DomainResult;
import io.shardgate.translator.input.GatewayLayout;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.resource.ResourceType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns input changes into shard store changes, doing work only for what changed. This class is the loop: the
 * inbox, the order of a drain, and the waiters; each step's state lives in its own class ({@link InputIndex},
 * {@link OwnedShards}, {@link SecretCustody}, {@link CertificateRechecks}, {@link IngressStatusTracker},
 * {@link GatewayApiStatusTracker},
 * {@link SecretProblems}, {@link EngineMetrics}), and which resources a shard serves is translator code
 * ({@link io.shardgate.translator.shard.ShardAssembly}).
 *
 * <p>Threading: sources call the {@link InputSink} methods from any thread; they only record the latest
 * projection per object (so a burst of updates to one object collapses to one) and wake the engine
 * thread. The engine thread drains everything pending, updates the index, translates the invalidated domains
 * (in parallel on the common pool when there are many; translation is pure and the index is not mutated
 * meanwhile), then applies the results to each owned shard and flushes one batch per shard to its store. No
 * fixed debounce: the first change after idle is translated at once, and changes arriving during a drain ride
 * the next one.
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
    private final Clock clock;
    private final EngineMetrics metrics;

    // inbox: any thread
    private final PendingInputs pending = new PendingInputs();
    private final ConcurrentLinkedQueue<Consumer<Dirty>> tasks = new ConcurrentLinkedQueue<>();
    private final Semaphore wake = new Semaphore(0);
    private final AtomicLong received = new AtomicLong();
    private final List<Waiter> waiters = new ArrayList<>();
    private long applied;
    private volatile boolean synced;
    /**
     * How far each source stream has delivered (InputSink#watermark), updated in place on every event; a drain takes
     * one {@link Watermark} of it at its start and declares it at its end.
     */
    private final Map<String, Long> sourcePositions = new ConcurrentHashMap<>();
    /** The ready shards last told to the cluster (engine thread). */
    private Set<ShardId> declaredReady;
    private volatile boolean ready;
    private volatile boolean closed;
    private volatile boolean failed;
    private volatile Map<ShardId, Integer> ownedSnapshot = Map.of();
    private volatile int shardsUnplaced;
    private final Thread thread;

    // engine thread
    private final InputIndex index;
    private final OwnedShards owned;
    private final SecretCustody custody;
    private final SecretProblems secretProblems;
    private final CertificateRechecks rechecks = new CertificateRechecks();
    private final IngressStatusTracker status;
    private final GatewayApiStatusTracker gatewayApiStatus;
    /** Every Gateway API object's status writer is to be judged again at the next synced drain. */
    private boolean statusesToReassign = true;
    /** Domains translated without key material being fetched: not placed until it arrives. */
    private final Set<DomainKey> awaitingSecrets = new HashSet<>();
    private boolean ownershipCheckPending;

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
        this(translator, directory, ownership, defaultShards, reporter, status, metrics, clock, secretFetcher, GatewayApiStatus.NONE);
    }

    /** @param gatewayApiStatus where the status of the Gateway API objects this node is the one to write goes */
    public TranslationEngine(Translator translator, ShardDirectory directory, ShardOwnership ownership, int defaultShards,
                             ProblemReporter reporter, StatusWriter status, MeterRegistry metrics, Clock clock,
                             SecretFetcher secretFetcher, GatewayApiStatus gatewayApiStatus) {
        if (defaultShards < 1) throw new IllegalArgumentException("default shard count must be at least 1");
        this.translator = translator;
        this.directory = directory;
        this.ownership = ownership;
        this.defaultShards = defaultShards;
        this.reporter = reporter;
        this.clock = clock;
        this.index = new InputIndex(translator);
        this.metrics = new EngineMetrics(metrics, new EngineMetrics.Readings(() -> ownedSnapshot.size(), () -> shardsUnplaced,
                index::secretsHeld, index::secretsWithheld, () -> ready ? 1 : 0));
        this.owned = new OwnedShards(translator, directory, ownership, this.metrics);
        this.status = new IngressStatusTracker(status);
        this.gatewayApiStatus = new GatewayApiStatusTracker(translator, gatewayApiStatus);
        this.secretProblems = new SecretProblems(reporter);
        this.custody = new SecretCustody(secretFetcher, this::onEngineThread);
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
    public void watermark(String stream, long position) {
        Long before = sourcePositions.get(stream);
        if (before == null || position > before) {
            sourcePositions.merge(stream, position, Math::max);
            received.incrementAndGet(); // a drain follows, which tells the cluster how far this node has come
            wake.release();
        }
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
    public void attributeRejection(ShardId shard, ResourceType type, Set<String> names, String error) {
        onEngineThread(dirty -> {
            ShardState state = owned.state(shard);
            if (state == null) return;
            for (String host : state.assembly().hostsBehind(type, names, error)) {
                DomainResult result = state.assembly().domain(host);
                List<Problem> problems = result.sources().stream().map(ingress -> new Problem(ingress, host, Reasons.ENVOY_REJECTED,
                        "Envoy rejected " + type.name().toLowerCase(java.util.Locale.ROOT) + " " + names + ": " + error))
                        .toList();
                reporter.report("rejected " + shard + "/" + host, problems);
            }
        });
    }

    /**
     * The shard table changed: start translating newly owned shards (served once fully translated) and
     * stop working on lost ones. A lost shard's store keeps its last content for clients still connected,
     * so none of them ever sees a domain disappear because of a hand-over.
     */
    public void ownershipChanged() {
        received.incrementAndGet();
        onEngineThread(dirty -> ownershipCheckPending = true);
    }

    /** Domains translated by this node since it started (each re-translation counts). */
    public long domainsTranslated() {
        return metrics.domainsTranslated();
    }

    /** Domains per owned shard, as of the last drain (for tests, /debug and the per-node metrics). */
    public Map<ShardId, Integer> ownedShards() {
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

    /**
     * Completes once every input call up to {@code position} has been translated and flushed to the stores,
     * including the domains that waited for TLS key material to be fetched.
     */
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

    /** How far the sources have delivered, stream by stream (InputSink#watermark). */
    public Watermark sourceWatermark() {
        return Watermark.of(sourcePositions);
    }

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
        custody.close();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs work on the engine thread at the start of its next drain (before the pending inputs are applied). */
    private void onEngineThread(Consumer<Dirty> task) {
        tasks.add(task);
        wake.release();
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
        Optional<Instant> next = rechecks.next();
        if (next.isEmpty()) {
            wake.acquire();
            return;
        }
        long millis = Math.max(0, Duration.between(clock.instant(), next.get()).toMillis());
        if (millis > 0) wake.tryAcquire(Math.min(millis, TimeUnit.HOURS.toMillis(1)), TimeUnit.MILLISECONDS);
    }

    private void drain() {
        // Read before taking the pending keys: every call counted here has already put its key.
        long position = received.get();
        boolean syncedAtStart = synced;
        Watermark watermarkAtStart = sourceWatermark(); // every input up to it is pending now: applied by this drain
        long start = System.nanoTime();
        Dirty dirty = new Dirty();
        for (Consumer<Dirty> task; (task = tasks.poll()) != null; ) task.accept(dirty);
        pending.take((ref, change) -> {
            if (change.isPresent()) index.upsert(change.get(), dirty); else index.delete(ref, dirty);
        });
        DrainResources shared = new DrainResources(translator, index, secretProblems);
        dirty.domains.addAll(rechecks.takeDue(clock.instant()));
        // Which node writes each Gateway API status changes only with the owned shards or a gateway's shard count.
        long layoutBefore = owned.layoutVersion();
        if (!dirty.gateways.isEmpty()) {
            Map<String, GatewaySettings> gateways = index.gateways();
            Map<String, GatewayLayout> layouts = new HashMap<>();
            gateways.forEach((name, settings) -> layouts.put(name, settings.layout()));
            owned.syncGateways(desiredGateways(gateways), layouts, index::hostsOf, dirty, shared);
            index.gateways().forEach((name, c) -> directory.allowClients(name, c.clientIdentities()));
        }
        if (ownershipCheckPending || !dirty.gateways.isEmpty()) {
            ownershipCheckPending = false;
            owned.reconcile(index::hostsOf, dirty).forEach(this::forget);
        }
        if (owned.layoutVersion() != layoutBefore) statusesToReassign = true;
        translateDomains(dirty, shared);
        for (ObjectRef service : dirty.endpoints) owned.states().forEach(s -> s.assembly().endpointsChanged(service, shared));
        for (ObjectRef secret : dirty.secrets) owned.states().forEach(s -> s.assembly().secretChanged(secret, shared));
        owned.states().forEach(ShardState::flush);
        owned.retire();
        // A domain waiting for key material whose shard went away (lost, removed, re-sharded): if it still belongs
        // to an owned shard, it was marked dirty and translated for that shard above.
        awaitingSecrets.removeIf(d -> owned.target(d) == null);
        ownedSnapshot = owned.snapshot();
        shardsUnplaced = owned.unplaced();
        markReady(syncedAtStart);
        // How far the stores now are (what clients may already have been sent) is told after every drain; new
        // shards are ready only once complete with every input received so far: a drain overtaken by new inputs
        // keeps the ready set it told before, and the next drain (already woken) tells the rest.
        if (!syncedAtStart) {
            ownership.declare(null, Watermark.NONE);
        } else {
            if (received.get() == position || declaredReady == null) declaredReady = owned.readyShards();
            declaredReady.retainAll(owned.snapshot().keySet());
            ownership.declare(declaredReady, watermarkAtStart);
        }
        if (syncedAtStart) {
            custody.fetch(gatewayApiStatus.refresh(dirty, statusesToReassign, index, owned), index);
            statusesToReassign = false;
        }
        custody.review(dirty.secrets);
        custody.withholdUnused(index, this::neededHere, ready);
        secretProblems.forgetUnused(owned::serves);
        if (!dirty.isEmpty()) metrics.drained(System.nanoTime() - start);
        if (awaitingSecrets.isEmpty() && !gatewayApiStatus.awaitsMaterial()) completeWaiters(position);
    }

    /**
     * Marks ready every shard whose domains are all placed; the node is ready once synced, every shard has an
     * owner, the table's shards for this node are those it holds, and no domain waits for key material.
     */
    private void markReady(boolean syncedAtStart) {
        boolean settled = shardsUnplaced == 0 && owned.matchesTable() && awaitingSecrets.isEmpty();
        if (!ready && !(syncedAtStart && settled)) return;
        Set<ShardId> waiting = awaitingSecrets.stream().map(owned::target).collect(Collectors.toSet());
        for (ShardId k : owned.snapshot().keySet()) {
            ShardState state = owned.state(k);
            if (waiting.contains(k) || state.store().isReady()) continue;
            state.store().markReady();
            if (ready) log.info("shard {} is served here now, {} ms after it was taken on", k, state.millisSinceGained());
        }
        if (!ready) {
            ready = true;
            directory.markSynced();
            log.info("ready: {} gateways, {} shards owned, {} domains", owned.gatewayCount(), ownedSnapshot.size(),
                    owned.placedDomains());
        }
    }

    /**
     * An owned shard serves the Secret, or a domain of one looked it up (it may not serve it, a certificate that
     * does not cover the host, say, but would need it fetched again on every translation).
     */
    private boolean neededHere(ObjectRef secret) {
        return owned.serves(secret) || index.dependentsOf(secret).stream().anyMatch(d -> owned.target(d) != null)
                || gatewayApiStatus.judgesByContent(secret);
    }

    private void completeWaiters(long position) {
        List<Waiter> done = new ArrayList<>();
        synchronized (waiters) {
            applied = position;
            waiters.removeIf(w -> w.position <= position && done.add(w));
        }
        done.forEach(w -> w.done.complete(null));
    }

    private Map<String, Integer> desiredGateways(Map<String, GatewaySettings> gateways) {
        Map<String, Integer> desired = new TreeMap<>();
        gateways.forEach((name, settings) -> desired.put(name, settings.shards() == null ? defaultShards : settings.shards()));
        return desired;
    }

    /** Stops working on a shard this node no longer owns; its store keeps what clients were last sent. */
    private void forget(OwnedShards.Lost lost) {
        lost.state().store().markNotReady();
        custody.review(lost.state().assembly().secrets());
        for (String host : lost.state().assembly().hosts()) {
            DomainKey d = new DomainKey(lost.key().gateway(), host);
            rechecks.schedule(d, Optional.empty());
            // Its new owner reports on it and writes its Ingresses' status from now on.
            reporter.report(d.toString(), List.of());
            status.released(lost.state().assembly().domain(host));
        }
        log.info("shard {} is owned elsewhere now: stopped translating its {} domains", lost.key(), lost.state().assembly().domainCount());
    }

    private void translateDomains(Dirty dirty, DrainResources shared) {
        List<DomainKey> work = new ArrayList<>(dirty.domains.size());
        for (DomainKey d : dirty.domains) {
            if (owned.target(d) != null && !index.claims(d.gateway(), d.host()).isEmpty()) {
                work.add(d);
            } else {
                awaitingSecrets.remove(d);
                place(d, null, null, shared);
            }
        }
        Map<DomainKey, Translated> results = translateAll(work);
        Set<ObjectRef> toFetch = new TreeSet<>();
        for (DomainKey d : work) {
            Translated t = results.get(d);
            if (!t.withheld.isEmpty()) {
                // Its key material is being fetched: translated again when it arrives, not served without it. Until
                // then it stays as served, unless it is moving to another shard (re-sharded gateway): the shard it
                // leaves may be dropped, so it leaves now.
                ShardId current = owned.locationOf(d);
                if (current != null && !current.equals(owned.target(d))) place(d, null, null, shared);
                index.recordDependencies(d, t.lookedUp);
                toFetch.addAll(t.withheld);
                awaitingSecrets.add(d);
                continue;
            }
            index.recordDependencies(d, t.lookedUp);
            awaitingSecrets.remove(d);
            place(d, owned.target(d), t.result, shared);
        }
        if (!toFetch.isEmpty()) custody.fetch(toFetch, index);
        metrics.translated(work.size());
    }

    private Map<DomainKey, Translated> translateAll(List<DomainKey> work) {
        var stream = work.size() >= PARALLEL_THRESHOLD ? work.parallelStream() : work.stream();
        return stream.collect(Collectors.toMap(d -> d, this::translate));
    }

    private Translated translate(DomainKey d) {
        RecordingInputs inputs = new RecordingInputs(index, d.gateway());
        DomainResult result;
        try {
            result = translator.translateDomain(d.host(), owned.layoutOf(d.gateway()), inputs);
        } catch (Throwable e) {
            // A translator bug, or input that defeats it (deep recursion), must cost this domain only, never the
            // drain and with it the rest of the shard. Only a failing JVM (out of memory) stops the drain.
            if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) throw (VirtualMachineError) e;
            log.error("translating {} failed", d, e);
            SortedSet<ObjectRef> sources = new TreeSet<>();
            index.claims(d.gateway(), d.host()).forEach(i -> sources.add(i.ref()));
            result = new DomainResult.Rejected(d.host(), sources, sources.stream().map(ref -> new Problem(ref, d.host(),
                    Reasons.TRANSLATION_FAILED, "internal error translating this domain: " + e)).toList());
        }
        return new Translated(result, inputs.lookedUp(), custody.withholds() ? inputs.withheld() : Set.of());
    }

    private record Translated(DomainResult result, Set<ObjectRef> lookedUp, Set<ObjectRef> withheld) {}

    /** Moves a domain's result into its shard (null result or shard: the domain is no longer served here). */
    private void place(DomainKey d, ShardId target, DomainResult result, DrainResources shared) {
        DomainResult previous = owned.resultOf(d);
        owned.place(d, target, result, shared);
        if (target == null || result == null) index.recordDependencies(d, Set.of());
        DomainResult now = target == null ? null : result;
        status.changed(previous, now, index::gatewayOfClaim, (gateway, claim) -> owned.shardsOf(gateway, index.hostsOfClaim(claim)));
        rechecks.schedule(d, now == null ? Optional.empty() : now.recheckAt());
        reporter.report(d.toString(), result == null ? List.of() : result.problems());
    }
}
