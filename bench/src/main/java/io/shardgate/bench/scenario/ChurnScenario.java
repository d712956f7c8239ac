package io.shardgate.bench.scenario;

import io.shardgate.bench.fleet.Activation;
import io.shardgate.bench.fleet.FleetPlacement;
import io.shardgate.bench.measure.CpuMeter;
import io.shardgate.bench.fleet.FleetPlacement;
import io.shardgate.bench.measure.Stats;
import io.shardgate.bench.workload.Change;
import io.shardgate.bench.workload.ChangeMix;
import io.shardgate.bench.workload.WorkloadSpec;
import io.shardgate.sharding.ShardId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Sustained churn: changes at a fixed rate (open loop: each is handed over on schedule whether or not the last
 * has reached the fleet), rate after rate; a rate is held if every change reached every client and p99 activation
 * stayed under the limit. Stops after the first rate not held.
 */
public final class ChurnScenario {

    public record Options(int clients, double deltaShare, List<Integer> rates, Duration step, double limitMs, Duration timeout,
            FleetPlacement fleet) {}

    public record Step(int rate, int changes, int complete, Stats activationMs, double serverCpuMsPerSecond, boolean held) {}

    public record Run(String target, int domains, int shards, int clients, List<Step> steps, int highestHeldRate) {}

    private ChurnScenario() {}

    public static Run run(String targetName, WorkloadSpec spec, Options options) throws Exception {
        try (Setup setup = Setup.start(targetName, "direct", spec, options.clients(), options.deltaShare(), options.fleet(), options.timeout())) {
            ChangeMix mix = ChangeMix.platform();
            for (int i = 0; i < 5; i++) ActivationScenario.once(setup, setup.workload.next(mix), options.timeout());
            List<Step> steps = new ArrayList<>();
            int held = 0;
            for (int rate : options.rates()) {
                Step step = step(setup, mix, rate, options);
                steps.add(step);
                ActivationScenario.log("%s churn %d/s: %d/%d complete, activation %s, held=%s", targetName, rate,
                        step.complete(), step.changes(), step.activationMs().inMillis(), step.held());
                if (!step.held()) break;
                held = rate;
            }
            return new Run(targetName, spec.domains(), spec.shards(), options.clients(), steps, held);
        }
    }

    private static Step step(Setup setup, ChangeMix mix, int rate, Options options) throws Exception {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        int count = (int) Math.max(1, rate * options.step().toMillis() / 1000);
        List<CompletableFuture<Activation>> results = new ArrayList<>();
        CpuMeter cpu = CpuMeter.start(setup.target::isServerThread);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait); // pacing the open loop, not synchronisation
            Change change = setup.workload.next(mix);
            Map<ShardId, Long> before = setup.tracker.sequences();
            long t0 = setup.source.apply(change);
            results.add(setup.target.engine().whenApplied(setup.target.engine().received())
                    .thenApply(v -> setup.tracker.sequences())
                    .thenCompose(after -> setup.tracker.track(change, t0, before, after, options.timeout().toNanos())));
        }
        List<Double> ms = new ArrayList<>();
        int complete = 0;
        int measured = 0;
        for (CompletableFuture<Activation> f : results) {
            Activation a = f.get(options.timeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
            if (a.clients() == 0) continue;
            measured++;
            if (a.complete()) {
                complete++;
                ms.add(a.millis());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuMeter.Reading used = cpu.stop();
        Stats stats = Stats.of(ms);
        boolean held = complete == measured && stats.p99() < options.limitMs();
        return new Step(rate, measured, complete, stats, used.serverNanos() / 1e6 / seconds, held);
    }
}
