package io.shardgate.bench.scenario;

import io.shardgate.bench.fleet.Activation;
import io.shardgate.bench.fleet.FleetPlacement;
import io.shardgate.bench.fleet.FleetProcess;
import io.shardgate.bench.measure.CpuMeter;
import io.shardgate.bench.measure.Stats;
import io.shardgate.bench.workload.Change;
import io.shardgate.bench.workload.ChangeMix;
import io.shardgate.bench.workload.WorkloadSpec;
import io.shardgate.sharding.ShardId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Changes one at a time against a target serving a fleet: activation latency of each, CPU and bytes per change,
 * then the target's heap after a full GC with the fleet gone. The cold start (first input handed over to every
 * client holding its whole shard) is measured on the way in.
 */
public final class ActivationScenario {

    public record Options(String source, int clients, double deltaShare, int changes, int warmup, Duration timeout, FleetPlacement fleet) {}

    /**
     * One target at one size.
     *
     * @param claims the kind of object that claims each domain ({@link WorkloadSpec.Claims}), lower case
     * @param costByKind what the server wrote and spent while each change was in flight (changes run one at a time), by kind
     * @param fleetCpuMsPerChange the fleet's process CPU per change (-1 when it ran in the server's JVM)
     * @param fleetPlacement where the fleet ran ({@link FleetPlacement})
     */
    public record Run(String target, String claims, String source, int domains, int shards, int clients, long deltaClients,
            double coldTranslatedMs, double coldServedMs, long heapBytes, Stats activationMs, Map<Change.Kind, Stats> byKind,
            int changes, int complete, int noop, long clientReceiptsExpected, long clientReceipts,
            double serverCpuMsPerChange, double processCpuMsPerChange, double bytesPerChange, double responsesPerChange,
            long nacks, Map<Change.Kind, KindCost> costByKind, double fleetCpuMsPerChange, String fleetPlacement) {}

    /**
     * @param bytesPerChange mean bytes written per change of the kind, to every client
     * @param bytesPerClient the same divided by the clients that had to receive the change (for a change with nothing
     *     to wait for, the clients of one shard)
     * @param serverCpuMsPerChange the server threads' CPU from the change's hand-over to its last client's receipt
     */
    public record KindCost(int changes, double bytesPerChange, double bytesPerClient, double serverCpuMsPerChange) {}

    private ActivationScenario() {}

    public static Run run(String targetName, WorkloadSpec spec, Options options) throws Exception {
        try (Setup setup = Setup.start(targetName, options.source(), spec, options.clients(), options.deltaShare(), options.fleet(),
                options.timeout())) {
            log("%s %s (%s): %d domains, %d shards, cold start translated %.0f ms, served %.0f ms", targetName, options.source(),
                    spec.claims().label(), spec.domains(), spec.shards(), setup.translatedMillis, setup.servedMillis);
            ChangeMix mix = ChangeMix.platform();
            for (int i = 0; i < options.warmup(); i++) once(setup, setup.workload.next(mix), options.timeout());

            FleetProcess.Tally fleet0 = setup.fleet.tally();
            CpuMeter cpu = CpuMeter.start(setup.target::isServerThread);
            long bytes0 = setup.target.bytesSent();
            long responses0 = setup.target.responsesSent();
            List<Activation> activations = new ArrayList<>();
            Map<Change.Kind, double[]> kindSums = new EnumMap<>(Change.Kind.class);
            int clientsPerShard = Math.max(1, options.clients() / spec.shards());
            for (int i = 0; i < options.changes(); i++) {
                long before = setup.target.bytesSent();
                CpuMeter one = CpuMeter.start(setup.target::isServerThread);
                Activation a = once(setup, setup.workload.next(mix), options.timeout());
                double cpuMs = one.stop().serverNanos() / 1e6;
                activations.add(a);
                double[] sums = kindSums.computeIfAbsent(a.kind(), k -> new double[4]);
                double sent = setup.target.bytesSent() - before;
                sums[0]++;
                sums[1] += sent;
                sums[2] += sent / (a.clients() > 0 ? a.clients() : clientsPerShard);
                sums[3] += cpuMs;
            }
            CpuMeter.Reading used = cpu.stop();
            long bytes = setup.target.bytesSent() - bytes0;
            long responses = setup.target.responsesSent() - responses0;
            FleetProcess.Tally fleet1 = setup.fleet.tally();
            long nacks = fleet1.nacks();
            long deltaClients = setup.fleet.deltaClients();
            long heap = setup.closeFleetAndMeasureHeap();

            List<Activation> measured = activations.stream().filter(a -> a.clients() > 0).toList();
            Map<Change.Kind, Stats> byKind = new EnumMap<>(Change.Kind.class);
            for (Change.Kind kind : Change.Kind.values()) {
                List<Double> ms = measured.stream().filter(a -> a.kind() == kind && a.complete()).map(Activation::millis).toList();
                if (!ms.isEmpty()) byKind.put(kind, Stats.of(ms));
            }
            int n = options.changes();
            Run run = new Run(targetName, spec.claims().label(), options.source(), spec.domains(), spec.shards(), options.clients(), deltaClients,
                    setup.translatedMillis, setup.servedMillis, heap,
                    Stats.of(measured.stream().filter(Activation::complete).map(Activation::millis).toList()), byKind,
                    n, (int) measured.stream().filter(Activation::complete).count(), activations.size() - measured.size(),
                    measured.stream().mapToLong(Activation::clients).sum(), measured.stream().mapToLong(Activation::received).sum(),
                    used.serverNanos() / 1e6 / n, used.processNanos() / 1e6 / n, (double) bytes / n, (double) responses / n, nacks,
                    costByKind(kindSums), fleet0.cpuNanos() < 0 ? -1 : (fleet1.cpuNanos() - fleet0.cpuNanos()) / 1e6 / n,
                    placement(options.fleet()));
            log("%s: activation %s, server CPU %.2f ms/change, fleet CPU %.2f ms/change, %.0f bytes/change, heap %d MB (fleet %s)",
                    targetName, run.activationMs().inMillis(), run.serverCpuMsPerChange(), run.fleetCpuMsPerChange(), run.bytesPerChange(),
                    heap >> 20, run.fleetPlacement());
            run.costByKind().forEach((kind, c) -> log("%s: %s x%d: activation %s, %.0f bytes/change, %.0f bytes per receiving client,"
                    + " server CPU %.2f ms/change", targetName, kind, c.changes(), run.byKind().containsKey(kind)
                    ? run.byKind().get(kind).inMillis() : "none measured", c.bytesPerChange(), c.bytesPerClient(), c.serverCpuMsPerChange()));
            return run;
        }
    }

    private static String placement(FleetPlacement p) {
        if (!p.ownProcess()) return "in the server's JVM";
        return "own JVM, " + p.cpus().map(c -> "server on CPUs " + c.get(0) + ", fleet on " + c.get(1)).orElse("not pinned");
    }

    private static Map<Change.Kind, KindCost> costByKind(Map<Change.Kind, double[]> sums) {
        Map<Change.Kind, KindCost> out = new EnumMap<>(Change.Kind.class);
        sums.forEach((kind, s) -> out.put(kind, new KindCost((int) s[0], s[1] / s[0], s[2] / s[0], s[3] / s[0])));
        return out;
    }

    /** Hands one change over, then waits until every client that must have it does. */
    static Activation once(Setup setup, Change change, Duration timeout) throws Exception {
        Map<ShardId, Long> before = setup.tracker.sequences();
        long t0 = setup.source.apply(change);
        Map<ShardId, Long> after = setup.target.engine().whenApplied(setup.target.engine().received())
                .thenApply(v -> setup.tracker.sequences()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return setup.tracker.track(change, t0, before, after, timeout.toNanos()).get(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
    }
}
