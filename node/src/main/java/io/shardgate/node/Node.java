package io.shardgate.node;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shardgate.cluster.ClientRegistry;
import io.shardgate.cluster.ClusterKey;
import io.shardgate.cluster.ClusterMember;
import io.shardgate.cluster.MemberView;
import io.shardgate.cluster.ShardTable;
import io.shardgate.cluster.TableRejection;
import io.shardgate.node.cluster.ClusterKeyFile;
import io.shardgate.node.cluster.ClusterOwnership;
import io.shardgate.node.cluster.ClusterShardRouter;
import io.shardgate.node.cluster.LaggingPositionsCatchUp;
import io.shardgate.node.cluster.PauseFence;
import io.shardgate.node.ads.ShardRouter;
import io.shardgate.node.admin.AdminServer;
import io.shardgate.node.admin.MicrometerAdsMetrics;
import io.shardgate.node.ads.AdsServer;
import io.shardgate.node.ads.AdsServerOptions;
import io.shardgate.node.config.ConfigException;
import io.shardgate.node.config.NodeConfig;
import io.shardgate.node.engine.TranslationEngine;
import io.shardgate.node.report.KubernetesEventReporter;
import io.shardgate.node.report.GatewayApiStatus;
import io.shardgate.node.report.KubernetesGatewayApiStatusWriter;
import io.shardgate.node.report.KubernetesStatusWriter;
import io.shardgate.node.report.LoggingProblemReporter;
import io.shardgate.node.report.ProblemReporter;
import io.shardgate.node.report.RejectionThrottle;
import io.shardgate.node.report.StatusWriter;
import io.shardgate.node.source.FileSource;
import io.shardgate.node.source.KubernetesSecretFetcher;
import io.shardgate.node.source.KubernetesSource;
import io.shardgate.node.source.Source;
import io.shardgate.node.source.SourceCounters;
import io.shardgate.node.store.ShardDirectory;
import io.shardgate.translator.Problem;
import io.shardgate.translator.Translator;
import io.shardgate.translator.input.ObjectRef;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.shardgate.sharding.ShardId;
import io.shardgate.node.store.ShardStore;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Shardgate process: wires the source, the engine, the shard stores, the ADS server and the admin
 * server, and takes them down in the reverse order. Threads: the source's own (informers or the file
 * watcher) deliver to the engine thread; ADS streams and admin requests run on Vert.x event loops.
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    private static final java.time.Duration PAUSE_TICK = java.time.Duration.ofMillis(200);
    /** With 1 s heartbeats, a node the others dropped hears of it well within this after waking. */
    private static final java.time.Duration PAUSE_QUIET = java.time.Duration.ofSeconds(3);
    /** How long a move may wait for this node's positions before it lists its sources again, and how often at most. */
    private static final java.time.Duration LAGGING_GRACE = java.time.Duration.ofSeconds(2);
    private static final java.time.Duration LAGGING_INTERVAL = java.time.Duration.ofSeconds(30);

    private final ClusterMember member;
    private final ShardTable shardTable;
    private final MemberView memberView;
    private final ClientRegistry clientRegistry;
    /** Publishes this node's clients to the cluster every second (eventually consistent, off the event loops). */
    private final java.util.concurrent.ScheduledExecutorService registryPublisher =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "shardgate-client-registry");
                t.setDaemon(true);
                return t;
            });
    /** Checks whether a move to this node waits for its positions ({@link LaggingPositionsCatchUp}). */
    private final java.util.concurrent.ScheduledExecutorService laggingTicker =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "shardgate-lagging-positions");
                t.setDaemon(true);
                return t;
            });
    /** Ticks the pause fence; its own thread, so nothing else running late can look like a pause. */
    private final java.util.concurrent.ScheduledExecutorService pauseTicker =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "shardgate-pause-fence");
                t.setDaemon(true);
                return t;
            });
    private final PauseFence fence;
    private final Vertx vertx;
    private final KubernetesClient kubernetes;
    private final TranslationEngine engine;
    private final AdsServer ads;
    private final AdminServer admin;
    private final Source source;
    private final ShardDirectory directory;
    private final PrometheusMeterRegistry metrics;
    private final int adsPort;
    private final java.time.Duration drainTimeout;
    private final int adminPort;

    private Node(NodeConfig config) throws Exception {
        ClusterKey clusterKey = ClusterKeyFile.load(config);
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Micrometer names that `promtool check metrics` rejects (a unit abbreviation, a _count gauge).
        metrics.config().meterFilter(io.micrometer.core.instrument.config.MeterFilter.deny(id ->
                id.getName().equals("process.cpu.time") || id.getName().equals("system.cpu.count")));
        io.micrometer.core.instrument.Gauge.builder("shardgate.build.info", () -> 1.0)
                .description("1, labelled with the Shardgate version and the Java version running it")
                .tags("version", BuildInfo.version(), "java", BuildInfo.javaVersion()).register(metrics);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        java.util.function.Function<String, Counter> rejected = reason -> Counter.builder("shardgate.rejected.inputs")
                .description("Bad input found in translation, by reason").tag("reason", reason).register(metrics);
        io.shardgate.translator.Reasons.all().forEach(rejected::apply); // exported at zero from the start
        Consumer<Problem> countProblem = p -> rejected.apply(p.reason()).increment();

        Map<String, Counter> skipped = new java.util.HashMap<>();
        for (String reason : SourceCounters.REASONS) {
            skipped.put(reason, Counter.builder("shardgate.source.skipped")
                    .description("Files, documents and objects a source skipped: unreadable, malformed, or of a kind not read")
                    .tag("reason", reason).register(metrics));
        }
        SourceCounters sourceCounters = reason -> skipped.get(reason).increment();
        this.drainTimeout = config.drainTimeout();
        this.vertx = Vertx.vertx();
        this.directory = new ShardDirectory();
        // ADS first: its address is published to the cluster as a member attribute. Until the member is up the
        // router places no shard, so early streams are answered UNAVAILABLE (retry).
        DeferredRouter router = new DeferredRouter();
        RejectionThrottle rejections = new RejectionThrottle(config.clientBounds().nackReportInterval(), this::attributeRejection);
        io.micrometer.core.instrument.FunctionCounter.builder("shardgate.nacks.unreported", rejections, RejectionThrottle::dropped)
                .description("NACKs not reported to their domains because each resource they named was reported within --nack-report-interval")
                .register(metrics);
        this.ads = new AdsServer(vertx, directory, router, new MicrometerAdsMetrics(metrics), rejections);
        AdsSecurity security = AdsSecurity.of(config.adsTls(), config.stateDir(), directory::clientIdentities);
        io.micrometer.core.instrument.Gauge.builder("shardgate.ads.insecure", () -> security.files() == null ? 1.0 : 0.0)
                .description("1 when ADS is plaintext and serves any client (--insecure-ads), else 0").register(metrics);
        AdsServerOptions adsOptions = config.clientBounds().applyTo(AdsServerOptions.onPort(config.adsPort())
                .withHost(config.listenAddress())).withTls(security.files())
                .withTlsWarmup(AdsServerOptions.NODE_TLS_WARMUP_HANDSHAKES);
        this.adsPort = listening(ads.listen(adsOptions, config.clientBounds().ads(), security.authority()),
                "--ads-port", config.listenAddress(), config.adsPort());
        String adsAddress = config.member().bindAddress() + ":" + adsPort;
        this.member = ClusterMember.start(config.member());
        this.memberView = new MemberView(member, clusterKey, adsAddress);
        this.shardTable = new ShardTable(member, memberView, clusterKey);
        java.time.Duration failureTimeout = config.member().failureTimeout();
        this.fence = new PauseFence(System::nanoTime, failureTimeout, PAUSE_QUIET, fenceLimit(failureTimeout, config.member().mergeDelay()),
                () -> java.util.concurrent.CompletableFuture.runAsync(this::catchUpAfterPause));
        member.onMerged(fence::merged);
        member.onMemberRemoved(fence::memberRemoved);
        router.set(new ClusterShardRouter(shardTable, memberView, fence));
        this.clientRegistry = new ClientRegistry(member);
        this.kubernetes = config.source() == NodeConfig.SourceKind.KUBERNETES ? kubernetesClient(config) : null;
        ProblemReporter reporter;
        if (kubernetes == null) {
            reporter = new LoggingProblemReporter(countProblem);
        } else {
            KubernetesEventReporter events = new KubernetesEventReporter(kubernetes, countProblem);
            io.micrometer.core.instrument.FunctionCounter.builder("shardgate.events.dropped", events,
                            KubernetesEventReporter::droppedEvents)
                    .description("Kubernetes Events not sent because the send queue was full").register(metrics);
            reporter = events;
        }
        StatusWriter status = kubernetes == null || config.statusAddresses().isEmpty() ? StatusWriter.NONE
                : new KubernetesStatusWriter(kubernetes, config.statusAddresses());
        if (status instanceof KubernetesStatusWriter writer) {
            io.micrometer.core.instrument.FunctionCounter.builder("shardgate.status.write.failures", writer,
                    KubernetesStatusWriter::failures)
                    .description("Ingress status reads or writes that failed (retried on the Ingress's next change)")
                    .register(metrics);
        }
        GatewayApiStatus gatewayApiStatus = GatewayApiStatus.NONE;
        if (kubernetes != null) {
            KubernetesGatewayApiStatusWriter writer = new KubernetesGatewayApiStatusWriter(kubernetes);
            io.micrometer.core.instrument.FunctionCounter.builder("shardgate.gatewayapi.status.write.failures", writer,
                    KubernetesGatewayApiStatusWriter::failures)
                    .description("Gateway API status writes that failed three times (retried on the object's next change)")
                    .register(metrics);
            gatewayApiStatus = new GatewayApiStatus(writer, config.statusAddresses());
        }
        io.micrometer.core.instrument.Gauge.builder("shardgate.cluster.members", member, m -> m.members().size())
                .description("Members of the Hazelcast cluster as this node sees them").register(metrics);
        io.micrometer.core.instrument.Gauge.builder("shardgate.cluster.members.unproven", memberView, MemberView::unproven)
                .description("Hazelcast members that have not proven the cluster key: given nothing, never relayed to"
                        + " (for a few seconds after a node joins; lasting: a rogue process, or a node with another key)")
                .register(metrics);
        for (TableRejection reason : TableRejection.values()) {
            io.micrometer.core.instrument.FunctionCounter.builder("shardgate.shard.table.rejected", shardTable,
                            t -> t.rejected(reason)).tag("reason", reason.label())
                    .description("Values found where the shard table belongs and ignored (not written with the cluster key,"
                            + " or an old table written back), by reason").register(metrics);
        }
        this.engine = new TranslationEngine(Translator.create(config.translator()), directory,
                new ClusterOwnership(shardTable, fence), config.defaultShards(), reporter, status, metrics, config.translator().clock(),
                kubernetes == null ? null : new KubernetesSecretFetcher(kubernetes), gatewayApiStatus);
        shardTable.onChange(table -> engine.ownershipChanged());
        shardTable.onForesight(engine::ownershipChanged);
        fence.onChange(engine::ownershipChanged);
        io.micrometer.core.instrument.Gauge.builder("shardgate.fenced", fence, f -> f.isFenced() ? 1 : 0)
                .description("1 while this node serves nothing after a pause longer than the failure timeout")
                .register(metrics);
        io.micrometer.core.instrument.FunctionCounter.builder("shardgate.pauses", fence, PauseFence::pauses)
                .description("Pauses of this process longer than the failure timeout (SIGSTOP, a stalled VM, GC)")
                .register(metrics);
        this.admin = new AdminServer(vertx, metrics, this::isHealthy, this::notReadyReason, config.adminAccess())
                .debugPage("clients", () -> new JsonArray(ads.clients().stream().map(JsonObject::mapFrom).toList()))
                .debugQuery("client", this::clientPage)
                .debugPage("shards", this::shardsPage)
                .debugPage("problems", () -> problemsPage(reporter))
                .debugPage("cluster-clients", () -> new JsonArray(clientRegistry.all().stream().map(JsonObject::mapFrom).toList()));
        registryPublisher.scheduleWithFixedDelay(() -> publishClients(adsAddress), 1, 1, TimeUnit.SECONDS);
        this.adminPort = listening(admin.listen(config.listenAddress(), config.adminPort()), "--admin-port",
                config.listenAddress(), config.adminPort());
        this.source = kubernetes == null ? new FileSource(config.manifests(), sourceCounters)
                : new KubernetesSource(kubernetes, config.namespaces(), sourceCounters);
        source.start(engine);
        pauseTicker.scheduleAtFixedRate(fence::tick, PAUSE_TICK.toMillis(), PAUSE_TICK.toMillis(), TimeUnit.MILLISECONDS);
        LaggingPositionsCatchUp lagging = new LaggingPositionsCatchUp(shardTable::behindAnOwnerOfAnIncomingShard, source::catchUp,
                System::nanoTime, LAGGING_GRACE, LAGGING_INTERVAL);
        laggingTicker.scheduleWithFixedDelay(lagging::tick, 1, 1, TimeUnit.SECONDS);
        log.info("shardgate node up: ADS on {}:{}, admin on {}:{}, source {}", config.listenAddress(), adsPort,
                config.listenAddress(), adminPort, kubernetes == null ? config.manifests().toAbsolutePath() : "kubernetes");
    }

    /**
     * How long a woken node waits to merge back before it serves on its own (the others presumably gone): the failure
     * timeout, three merge rounds, and the 5 s Hazelcast's search for the other part waits on a silent address. With
     * two rounds (23 s by default) two nodes at 20,000 domains on 2 busy cores merged later than that in 3 runs of 5,
     * and the woken node took every shard for a few seconds, then gave half back.
     */
    static java.time.Duration fenceLimit(java.time.Duration failureTimeout, java.time.Duration mergeDelay) {
        return failureTimeout.plus(mergeDelay.multipliedBy(3)).plusSeconds(5);
    }

    /** After a pause: the source delivers what changed meanwhile, the engine applies it, then the fence may lift. */
    private void catchUpAfterPause() {
        source.catchUp()
                .thenCompose(v -> engine.whenApplied(engine.received()))
                .whenComplete((v, error) -> {
                    if (error != null) log.warn("catching up after a pause failed; the fence lifts at its time limit", error);
                    else fence.caughtUp();
                });
    }

    private void publishClients(String adsAddress) {
        try {
            String self = shardTable.localId();
            clientRegistry.publish(self, ads.clients().stream().map(c -> new ClientRegistry.ServedClient(c.nodeId(),
                    c.gateway(), c.shard(), c.protocol().name(), self, adsAddress)).toList());
        } catch (RuntimeException e) {
            log.debug("client registry not published this time", e);
        }
    }

    private void attributeRejection(io.shardgate.node.ads.Nack nack) {
        engine.attributeRejection(nack.shard(), nack.type(), nack.rejectedVersions().keySet(), nack.errorMessage());
    }

    public static Node start(NodeConfig config) throws Exception {
        return new Node(config);
    }

    public int adsPort() {
        return adsPort;
    }

    public int adminPort() {
        return adminPort;
    }

    /** The Prometheus text /metrics serves. */
    public String metricsText() {
        return metrics.scrape();
    }

    public TranslationEngine engine() {
        return engine;
    }

    /** What every connected client is being served (the /debug/clients page). */
    public java.util.List<io.shardgate.node.ads.ClientSnapshot> clients() {
        return ads.clients();
    }

    /** This node's id in the cluster (its Hazelcast member id). */
    public String memberId() {
        return shardTable.localId();
    }

    public ShardDirectory directory() {
        return directory;
    }

    public boolean isHealthy() {
        return member.isRunning() && engine.isHealthy();
    }

    /** Why /readyz answers 503, or null when the node is ready. */
    private String notReadyReason() {
        int unplaced = shardTable.unplaced();
        if (unplaced > 0) return unplaced + " shards unplaced: no admitted node owns them in the cluster's shard table";
        if (fence.isFenced()) return "fenced: this process was paused longer than the failure timeout";
        if (!engine.isReady()) return "shards still being translated";
        return null;
    }

    /**
     * /debug/client?node=ID[&type=cluster]: one client's stream state and every resource its shard serves
     * (name → version), optionally of one type only.
     */
    private Object clientPage(Map<String, String> query) {
        var client = ads.clients().stream().filter(c -> c.nodeId().equals(query.get("node"))).findFirst();
        if (client.isEmpty()) return null;
        ShardStore store = directory.store(new ShardId(client.get().gateway(), client.get().shard()));
        JsonObject served = new JsonObject();
        for (ResourceType type : ResourceType.values()) {
            if (query.containsKey("type") && !type.name().equalsIgnoreCase(query.get("type"))) continue;
            JsonObject versions = new JsonObject();
            store.all(type).stream().sorted(Comparator.comparing(XdsResource::name))
                    .forEach(r -> versions.put(r.name(), r.version()));
            served.put(type.name().toLowerCase(Locale.ROOT), versions);
        }
        return JsonObject.mapFrom(client.get()).put("served", served);
    }

    /** Every object rejected or served degraded, with its reasons (the first 1,000), and files that did not read cleanly. */
    private Object problemsPage(ProblemReporter reporter) {
        java.util.List<Problem> all = reporter.current();
        JsonArray objects = new JsonArray();
        all.stream().limit(1_000).forEach(p -> objects.add(new JsonObject().put("object", p.object().toString())
                .put("domain", p.domain()).put("reason", p.reason()).put("message", p.message())));
        JsonObject page = new JsonObject().put("total", all.size()).put("objects", objects);
        if (source instanceof FileSource files) page.put("files", new JsonObject(new java.util.TreeMap<>(files.fileProblems())));
        return page;
    }

    private Object shardsPage() {
        JsonArray out = new JsonArray();
        directory.stores().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            JsonObject types = new JsonObject();
            for (ResourceType type : ResourceType.values()) {
                types.put(type.name().toLowerCase(Locale.ROOT), new JsonObject()
                        .put("resources", e.getValue().size(type))
                        .put("version", io.shardgate.translator.resource.ContentHash.hex(e.getValue().typeHash(type))));
            }
            out.add(new JsonObject().put("gateway", e.getKey().gateway()).put("shard", e.getKey().shard())
                    .put("ready", e.getValue().isReady())
                    // A shard this node lost keeps its store for clients still connected: not owned, still listed.
                    .put("owned", engine.ownedShards().containsKey(e.getKey()))
                    .put("sequence", e.getValue().sequence()).put("types", types));
        });
        return out;
    }

    private static KubernetesClient kubernetesClient(NodeConfig config) {
        Config kube;
        if (config.kubeconfig().isBlank()) {
            kube = new ConfigBuilder().build();
        } else {
            Path file = Path.of(config.kubeconfig());
            if (!Files.isReadable(file)) throw new ConfigException("--kubeconfig=" + file + " is not a readable file");
            try {
                kube = Config.fromKubeconfig(Files.readString(file));
            } catch (Exception e) {
                throw new ConfigException("--kubeconfig=" + file + " cannot be read: " + e.getMessage());
            }
        }
        return new KubernetesClientBuilder().withConfig(kube).build();
    }

    /** The bound port; a port that cannot be bound stops the start with a message naming the flag. */
    private static int listening(io.vertx.core.Future<Integer> bound, String flag, String address, int port) throws Exception {
        try {
            return await(bound);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof java.net.BindException bind) {
                throw new ConfigException(flag + "=" + port + ": cannot listen on " + address + ":" + port + " (" + bind.getMessage()
                        + "); stop what holds the port or choose another with " + flag);
            }
            throw e;
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        handOverShards();
        laggingTicker.shutdownNow();
        closeQuietly(source);
        closeQuietly(() -> await(ads.close()));
        closeQuietly(() -> await(admin.close()));
        closeQuietly(engine);
        registryPublisher.shutdownNow();
        pauseTicker.shutdownNow();
        closeQuietly(clientRegistry);
        closeQuietly(shardTable);
        closeQuietly(memberView);
        closeQuietly(() -> await(vertx.close()));
        if (kubernetes != null) closeQuietly(kubernetes);
        closeQuietly(member);
    }

    /**
     * Graceful leave: asks the cluster to move this node's shards to the others and waits (up to
     * --drain-timeout) until it owns none. Meanwhile the new owners translate them (serving only once
     * complete) and this node's streams for them end, so their Envoys reconnect to the new owners.
     */
    private void handOverShards() {
        if (!member.isRunning() || member.members().size() < 2) return;
        String self = shardTable.localId();
        java.util.concurrent.CompletableFuture<Void> handedOver = new java.util.concurrent.CompletableFuture<>();
        Runnable stop = shardTable.onChange(table -> {
            if (table.shardsOf(self).isEmpty()) handedOver.complete(null);
        });
        try {
            if (!shardTable.drain()) return; // the last node standing: nobody to hand over to
            if (shardTable.current().shardsOf(self).isEmpty()) handedOver.complete(null);
            handedOver.get(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info("handed every shard over to the other nodes; leaving");
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("shards not handed over within {}; leaving anyway (the others take them over on the leave)", drainTimeout);
        } catch (Exception e) {
            log.warn("shard hand-over failed; leaving anyway", e);
        } finally {
            stop.run();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.warn("error while shutting down", e);
        }
    }

    /** The cluster's router once the member is up; until then no shard is placed. */
    private static final class DeferredRouter implements ShardRouter {
        private volatile ShardRouter delegate;
        private final java.util.List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

        void set(ShardRouter router) {
            delegate = router;
            router.onChange(() -> listeners.forEach(Runnable::run));
            listeners.forEach(Runnable::run);
        }

        @Override
        public Route route(ShardId shard) {
            ShardRouter d = delegate;
            return d == null ? Route.UNPLACED : d.route(shard);
        }

        @Override
        public String localName() {
            ShardRouter d = delegate;
            return d == null ? "starting" : d.localName();
        }

        // Every method of ShardRouter is forwarded: a default one left out would silently answer for the cluster.
        @Override
        public boolean catchingUp(ShardId shard) {
            ShardRouter d = delegate;
            return d != null && d.catchingUp(shard);
        }

        @Override
        public boolean servesNothing() {
            ShardRouter d = delegate;
            return d != null && d.servesNothing();
        }

        @Override
        public java.util.Map<String, String> peers() {
            ShardRouter d = delegate;
            return d == null ? java.util.Map.of() : d.peers();
        }

        @Override
        public Runnable onChange(Runnable listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }
}
