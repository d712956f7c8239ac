package io.shardgate.bench.scenario;

import io.shardgate.bench.Args;
import io.shardgate.bench.fleet.FleetPlacement;
import io.shardgate.bench.workload.WorkloadSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sustained churn for each target at one size: the highest rate held with p99 activation under the limit. */
public final class ChurnFigures {

    public record Options(int domains, int shards, double tlsShare, List<String> targets, ChurnScenario.Options run) {
        public static Options from(Args args) {
            int domains = args.integer("domains", 20_000);
            int perShard = args.integer("domains-per-shard", 10_000);
            int shards = perShard <= 0 ? 1 : Math.max(1, (domains + perShard - 1) / perShard);
            Options o = new Options(domains, shards, args.decimal("tls-share", 0.5), args.strings("targets", "shardgate,baseline"),
                    new ChurnScenario.Options(args.integer("clients", 100), args.decimal("delta-share", 0.5),
                            args.integers("rates", "10,20,50,100,200,500,1000"), args.duration("step", "10s"),
                            args.decimal("limit-ms", 100), args.duration("timeout", "60s"), FleetPlacement.from(args)));
            args.checkAllRead();
            return o;
        }
    }

    public record Figures(List<ChurnScenario.Run> runs, Map<String, String> targets) {}

    private ChurnFigures() {}

    public static Figures run(Options options) throws Exception {
        List<ChurnScenario.Run> runs = new ArrayList<>();
        WorkloadSpec spec = WorkloadSpec.of(options.domains(), options.shards()).withTlsShare(options.tlsShare());
        for (String target : options.targets()) runs.add(ChurnScenario.run(target, spec, options.run()));
        Map<String, String> out = new LinkedHashMap<>();
        for (ChurnScenario.Run r : runs) {
            out.put(r.target() + ": highest rate held with p99 activation < " + options.run().limitMs() + " ms",
                    r.highestHeldRate() + " changes/s");
        }
        return new Figures(runs, out);
    }
}
