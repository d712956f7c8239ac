package io.shardgate.bench.scenario;

import io.shardgate.bench.fleet.ActivationTracker;
import io.shardgate.bench.fleet.FleetAgent;
import io.shardgate.bench.fleet.FleetPlacement;
import io.shardgate.bench.fleet.FleetProcess;
import io.shardgate.bench.fleet.HeldDigest;
import io.shardgate.bench.measure.Heap;
import io.shardgate.bench.measure.Waits;
import io.shardgate.bench.source.ChangeSource;
import io.shardgate.bench.source.DirectSource;
import io.shardgate.bench.source.KubeSource;
import io.shardgate.bench.target.Target;
import io.shardgate.bench.target.Targets;
import io.shardgate.bench.workload.Workload;
import io.shardgate.bench.workload.WorkloadSpec;
import io.shardgate.translator.input.GatewayLayout;
import io.shardgate.translator.input.InputObject;
import java.time.Duration;
import io.shardgate.sharding.ShardId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One target, loaded with a workload and serving a fleet that holds everything: the common start of the
 * activation and churn scenarios, with its cold start measured on the way.
 */
final class Setup implements AutoCloseable {
    final Workload workload;
    final Target target;
    final ChangeSource source;
    FleetProcess fleet;
    ActivationTracker tracker;
    final long heapBefore;
    final double translatedMillis;
    final double servedMillis;
    private boolean fleetClosed;

    private Setup(Workload workload, Target target, ChangeSource source, FleetProcess fleet, ActivationTracker tracker,
            long heapBefore, double translatedMillis, double servedMillis) {
        this.workload = workload;
        this.target = target;
        this.source = source;
        this.fleet = fleet;
        this.tracker = tracker;
        this.heapBefore = heapBefore;
        this.translatedMillis = translatedMillis;
        this.servedMillis = servedMillis;
    }

    static Setup start(String targetName, String sourceName, WorkloadSpec requested, int clients, double requestedDeltaShare,
            FleetPlacement placement, Duration timeout) throws Exception {
        long heapBefore = Heap.usedAfterGc();
        Target target = Targets.start(targetName);
        boolean scoped = target.layout() == GatewayLayout.SCOPED;
        WorkloadSpec spec = requested.withLayout(target.layout());
        double deltaShare = scoped ? 1.0 : requestedDeltaShare; // a scoped gateway is served over Delta only
        Workload workload = new Workload(spec);
        List<InputObject> initial = workload.initialObjects();
        ChangeSource source = switch (sourceName) {
            case "direct" -> new DirectSource(target.engine());
            case "kube-mock" -> new KubeSource(target.engine(), "3g");
            default -> throw new IllegalArgumentException("unknown source " + sourceName + " (direct or kube-mock)");
        };
        FleetProcess fleet = null;
        try {
            long t0 = source.load(initial);
            initial = null;
            // Shardgate answers a gateway it has not seen yet with UNAVAILABLE; connect once the engine defined it.
            Waits.until("the gateway defined", timeout, () -> target.directory().gateways().containsKey(spec.gateway()));
            fleet = FleetProcess.start(new FleetAgent.Plan("127.0.0.1", List.of(target.adsPort()), spec.gateway(), spec.shards(),
                    clients, deltaShare, target.needsNodeOnEveryRequest(), target.clientTls(spec.gateway()), scoped), placement, timeout);
            target.engine().whenApplied(target.engine().received()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Waits.until("the engine ready", timeout, target.engine()::isReady);
            double translated = (System.nanoTime() - t0) / 1e6;
            Map<ShardId, HeldDigest> truth = new HashMap<>();
            target.directory().stores().forEach((shard, store) -> truth.put(shard, HeldDigest.of(store, target.servedBytes())));
            long served = fleet.awaitServed(truth, timeout);
            ActivationTracker tracker = new ActivationTracker(target.directory(), target.servedBytes(), fleet.seats());
            tracker.start();
            fleet.record(tracker::arrival);
            return new Setup(workload, target, source, fleet, tracker, heapBefore, translated, (served - t0) / 1e6);
        } catch (Exception | Error e) {
            if (fleet != null) fleet.close();
            source.close();
            target.close();
            throw e;
        }
    }

    /** Closes the fleet (and the source), then measures the target's heap after a full GC. */
    long closeFleetAndMeasureHeap() {
        closeFleet();
        return Heap.usedAfterGc() - heapBefore;
    }

    private void closeFleet() {
        if (fleetClosed) return;
        fleetClosed = true;
        tracker.close();
        fleet.close();
        source.close();
        // What the clients held and the tracker's ledger must not count in the target's heap.
        tracker = null;
        fleet = null;
    }

    @Override
    public void close() {
        closeFleet();
        target.close();
    }
}
