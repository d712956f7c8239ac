package io.shardgate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.shardgate.bench.report.Results;
import io.shardgate.bench.scenario.ActivationFigures;
import io.shardgate.bench.scenario.ActivationScenario;
import io.shardgate.bench.scenario.ChurnFigures;
import io.shardgate.bench.scenario.ChurnScenario;
import io.shardgate.bench.scenario.ClusterFigures;
import io.shardgate.bench.scenario.RemoteFleet;
import io.shardgate.bench.source.DirectSource;
import io.shardgate.bench.target.ShardgateTarget;
import io.shardgate.bench.workload.Workload;
import io.shardgate.bench.workload.WorkloadSpec;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scenario, tiny: asserts that the harness measures what it says (every client received every change, the
 * counts add up, the JSON has every figure, the charts are PNG images), never a time.
 */
class BenchSmokeTest {
    @TempDir
    static Path out;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void activationAgainstBothTargetsDeliversEveryChangeToEveryClient() throws Exception {
        Path chart = out.resolve("activation.png");
        ActivationFigures.Figures f = ActivationFigures.run(ActivationFigures.Options.from(new Args(new String[] {
                "--domains=200,400", "--clients=4", "--changes=12", "--warmup=2", "--domains-per-shard=200", "--timeout=30s"})), chart);

        assertThat(f.runs()).hasSize(4).extracting(ActivationScenario.Run::target)
                .containsExactly("shardgate", "baseline", "shardgate", "baseline");
        for (ActivationScenario.Run run : f.runs()) {
            assertThat(run.complete() + run.noop()).as("every change of %s", run).isEqualTo(run.changes());
            assertThat(run.complete()).isPositive();
            assertThat(run.clientReceipts()).as("every client received every change").isEqualTo(run.clientReceiptsExpected()).isPositive();
            assertThat(run.activationMs().count()).isEqualTo(run.complete());
            assertThat(run.nacks()).isZero();
            assertThat(run.deltaClients()).isEqualTo(2);
            assertThat(run.bytesPerChange()).isPositive();
            assertThat(run.serverCpuMsPerChange()).isPositive();
            assertThat(run.coldServedMs()).isPositive();
            assertThat(run.fleetPlacement()).as("the default: each run in its own JVM, its fleet in another").startsWith("own JVM");
            assertThat(run.fleetCpuMsPerChange()).isPositive();
        }
        assertThat(f.runs().get(2).shards()).isEqualTo(2);
        assertThat(f.baselineOverShardgate()).hasSize(2);
        assertThat(f.flatnessP99()).isNotNull();
        assertThat(f.targets()).containsKeys("activation p99 <= 10 ms at 400 domains", "flatness (p99) <= 1.5");
        assertPng(chart);

        Path json = Results.write(out, "activation", List.of("test"), f);
        Map<String, Object> read = Results.read(json);
        assertThat(read).containsKeys("command", "date", "machine", "figures");
        @SuppressWarnings("unchecked")
        Map<String, Object> figures = (Map<String, Object>) read.get("figures");
        assertThat(figures).containsKeys("runs", "baselineOverShardgate", "flatnessP50", "flatnessP99", "targets");
    }

    /** HTTPRoutes through wildcard listeners, then through a ListenerSet per TLS domain, in one run. */
    @Test
    void activationWithHttpRoutesDeliversEveryChangeToEveryClientOfBothTargets() throws Exception {
        ActivationFigures.Figures f = ActivationFigures.run(ActivationFigures.Options.from(new Args(new String[] {
                "--domains=200", "--claims=httproute,listenerset", "--clients=4", "--changes=12", "--warmup=2", "--timeout=30s"})),
                out.resolve("activation-httproute.png"));

        assertThat(f.runs()).extracting(ActivationScenario.Run::target, ActivationScenario.Run::claims).containsExactly(
                tuple("shardgate", "httproute"), tuple("baseline", "httproute"), tuple("shardgate", "listenerset"),
                tuple("baseline", "listenerset"));
        assertThat(f.claimsOverFirst()).extracting(ActivationFigures.ClaimsRatio::claims, ActivationFigures.ClaimsRatio::over,
                r -> r.ratio().domains()).containsExactly(tuple("listenerset", "httproute", 200));
        assertThat(f.claimsOverFirst().get(0).ratio().bytesPerChange()).isPositive();
        for (ActivationScenario.Run run : f.runs()) {
            assertThat(run.complete() + run.noop()).as("every change of %s", run).isEqualTo(run.changes());
            assertThat(run.complete()).isPositive();
            assertThat(run.clientReceipts()).as("every client received every change").isEqualTo(run.clientReceiptsExpected()).isPositive();
            assertThat(run.nacks()).isZero();
        }
    }

    /**
     * The scoped layout beside the classic one, the fleet in the server's JVM (the comparison mode): a deleted domain's
     * scope must reach every client as a removal, so deletes are measured, not counted as no-ops.
     */
    @Test
    void scopedActivationWaitsForRemovalsAndTheInProcessFleetStillMeasures() throws Exception {
        ActivationFigures.Figures f = ActivationFigures.run(ActivationFigures.Options.from(new Args(new String[] {
                "--domains=300", "--targets=shardgate,shardgate-scoped", "--clients=4", "--changes=40", "--warmup=2",
                "--timeout=30s", "--jvm=shared", "--fleet=in-process"})), out.resolve("activation-scoped.png"));

        assertThat(f.runs()).extracting(ActivationScenario.Run::target).containsExactly("shardgate", "shardgate-scoped");
        for (ActivationScenario.Run run : f.runs()) {
            assertThat(run.noop()).as("no change of %s is left unmeasured", run.target()).isZero();
            assertThat(run.complete()).isEqualTo(run.changes());
            assertThat(run.clientReceipts()).isEqualTo(run.clientReceiptsExpected()).isPositive();
            assertThat(run.byKind()).containsKey(io.shardgate.bench.workload.Change.Kind.DELETE);
            assertThat(run.byKind().get(io.shardgate.bench.workload.Change.Kind.DELETE).count())
                    .isEqualTo(run.costByKind().get(io.shardgate.bench.workload.Change.Kind.DELETE).changes());
            assertThat(run.fleetPlacement()).isEqualTo("in the server's JVM");
            assertThat(run.fleetCpuMsPerChange()).as("not separable from the server's process").isEqualTo(-1);
        }
        assertThat(f.classicOverScoped()).singleElement().satisfies(r -> assertThat(r.bytesPerChange()).isPositive());
        assertThat(f.runs().get(1).costByKind().values()).allSatisfy(c -> assertThat(c.serverCpuMsPerChange()).isPositive());
        assertPng(ActivationFigures.byKindChart(out.resolve("activation-scoped.png")));
        assertThat(f.targets()).containsKeys("scoped: activation p99 <= 10 ms at 300 domains",
                "scoped: bytes per route edit <= 2 KB per receiving client at 300 domains",
                "shardgate-scoped: cold start <= 5 s translated at 300 domains");
    }

    @Test
    void activationOverMutualTlsDeliversEveryChangeAndGivesItsCostAgainstPlaintext() throws Exception {
        ActivationFigures.Figures f = ActivationFigures.run(ActivationFigures.Options.from(new Args(new String[] {
                "--domains=200", "--targets=shardgate,shardgate-mtls", "--clients=4", "--changes=12", "--warmup=2",
                "--timeout=30s"})), out.resolve("activation-mtls.png"));

        assertThat(f.runs()).extracting(ActivationScenario.Run::target).containsExactly("shardgate", "shardgate-mtls");
        ActivationScenario.Run mtls = f.runs().get(1);
        assertThat(mtls.clientReceipts()).isEqualTo(mtls.clientReceiptsExpected()).isPositive();
        assertThat(mtls.complete() + mtls.noop()).isEqualTo(mtls.changes());
        assertThat(mtls.nacks()).isZero();
        assertThat(f.mtlsOverPlaintext()).singleElement().satisfies(r -> {
            assertThat(r.activationP50()).isPositive();
            assertThat(r.coldStart()).isPositive();
        });
        assertThat(f.baselineOverShardgate()).isEmpty();
    }

    @Test
    void activationThroughTheMockApiServerSeesEveryChange() throws Exception {
        ActivationScenario.Run run = ActivationScenario.run("shardgate", WorkloadSpec.of(100, 1),
                new ActivationScenario.Options("kube-mock", 2, 0.5, 6, 1, java.time.Duration.ofSeconds(60),
                        io.shardgate.bench.fleet.FleetPlacement.from(new Args(new String[0]))));
        assertThat(run.source()).isEqualTo("kube-mock");
        assertThat(run.complete() + run.noop()).isEqualTo(6);
        assertThat(run.clientReceipts()).isEqualTo(run.clientReceiptsExpected()).isPositive();
    }

    @Test
    void churnCountsEveryChangeAtEachRate() throws Exception {
        ChurnFigures.Figures f = ChurnFigures.run(ChurnFigures.Options.from(new Args(new String[] {
                "--domains=200", "--domains-per-shard=0", "--clients=4", "--rates=5,10", "--step=1s", "--limit-ms=100000",
                "--timeout=30s"})));
        assertThat(f.runs()).hasSize(2);
        for (ChurnScenario.Run run : f.runs()) {
            assertThat(run.steps()).hasSize(2);
            for (ChurnScenario.Step step : run.steps()) {
                assertThat(step.complete()).as("every change reached every client at %s/s", step.rate()).isEqualTo(step.changes());
                assertThat(step.held()).isTrue();
            }
            assertThat(run.highestHeldRate()).isEqualTo(10);
        }
    }

    @Test
    void clusterSharesAddUp() throws Exception {
        Path chart = out.resolve("cluster.png");
        ClusterFigures.Figures f = ClusterFigures.run(ClusterFigures.Options.from(new Args(new String[] {
                "--domains=200", "--nodes=1,2", "--shards=4", "--clients=4", "--timeout=60s"})), chart);
        assertThat(f.clusters()).hasSize(2);
        for (ClusterFigures.Cluster c : f.clusters()) {
            assertThat(c.perNode()).hasSize(c.nodes());
            assertThat(c.perNode().stream().mapToLong(ClusterFigures.NodeShare::domainsTranslated).sum())
                    .as("every domain translated once, by its owner").isEqualTo(200);
            assertThat(c.perNode().stream().mapToInt(ClusterFigures.NodeShare::ownedShards).sum()).isEqualTo(4);
            assertThat(c.perNode().stream().mapToInt(ClusterFigures.NodeShare::ownedDomains).sum()).isEqualTo(200);
            assertThat(c.perNode().stream().mapToInt(ClusterFigures.NodeShare::clientsServed).sum()).isEqualTo(4);
            assertThat(c.perNode().stream().mapToDouble(ClusterFigures.NodeShare::translationShare).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        }
        assertPng(chart);
    }

    @Test
    void remoteFleetSyncsAgainstAServerByPort() throws Exception {
        try (ShardgateTarget target = new ShardgateTarget(false)) {
            Workload workload = new Workload(WorkloadSpec.of(100, 1));
            new DirectSource(target.engine()).load(workload.initialObjects());
            target.engine().whenApplied(target.engine().received()).get(60, TimeUnit.SECONDS);
            RemoteFleet.Figures f = RemoteFleet.run(RemoteFleet.Options.from(new Args(new String[] {
                    "--ports=" + target.adsPort(), "--clients=3", "--duration=200ms", "--timeout=30s", "--tls-dir=none"})));
            assertThat(f.clients()).isEqualTo(3);
            assertThat(f.nacks()).isZero();
            assertThat(f.syncMs()).isPositive();
        }
    }

    private static void assertPng(Path file) throws Exception {
        assertThat(file).exists();
        BufferedImage image = ImageIO.read(Files.newInputStream(file));
        assertThat(image).as("%s decodes as an image", file).isNotNull();
        assertThat(image.getWidth()).isPositive();
    }
}
