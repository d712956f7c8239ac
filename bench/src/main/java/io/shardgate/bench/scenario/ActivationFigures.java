package io.shardgate.bench.scenario;

import io.shardgate.bench.Args;
import io.shardgate.bench.report.Charts;
import io.shardgate.bench.workload.WorkloadSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The activation figures at several domain counts, for each target: the runs, the ratios baseline / Shardgate at
 * each size, Shardgate's flatness (largest / smallest size) and where it stands against issue 4's targets, and the
 * latency chart.
 */
public final class ActivationFigures {

    public record Options(List<Integer> domains, List<String> targets, int domainsPerShard, double tlsShare,
            ActivationScenario.Options run, Map<String, Integer> changesByTarget, WorkloadSpec.Claims claims) {

        public static Options from(Args args) {
            List<Integer> domains = args.integers("domains", "1000,20000,100000");
            List<String> targets = args.strings("targets", "shardgate,baseline");
            int perShard = args.integer("domains-per-shard", 10_000);
            double tls = args.decimal("tls-share", 0.5);
            int changes = args.integer("changes", 100);
            Map<String, Integer> byTarget = new LinkedHashMap<>();
            for (String t : targets) byTarget.put(t, args.integer(t + "-changes", changes));
            ActivationScenario.Options run = new ActivationScenario.Options(args.string("source", "direct"),
                    args.integer("clients", 100), args.decimal("delta-share", 0.5), changes, args.integer("warmup", 10),
                    args.duration("timeout", "120s"));
            WorkloadSpec.Claims claims = switch (args.string("claims", "ingress")) {
                case "ingress" -> WorkloadSpec.Claims.INGRESS;
                case "httproute" -> WorkloadSpec.Claims.HTTP_ROUTE;
                case "listenerset" -> WorkloadSpec.Claims.LISTENER_SET;
                default -> throw new IllegalArgumentException("--claims: expected ingress, httproute or listenerset");
            };
            if (claims.isGatewayApi() && !run.source().equals("direct")) {
                throw new IllegalArgumentException("--claims=" + args.string("claims", "ingress")
                        + ": only with --source=direct (the API source writes Ingresses)");
            }
            args.checkAllRead();
            return new Options(domains, targets, perShard, tls, run, byTarget, claims);
        }
    }

    /**
     * Another target over Shardgate (plaintext) at one size: for the baseline, above 1 means Shardgate is better by
     * that factor; for shardgate-mtls, it is what mTLS costs.
     */
    public record Ratio(int domains, double activationP50, double activationP99, double serverCpuPerChange, double bytesPerChange,
            double coldStart, double heap) {}

    public record Figures(List<ActivationScenario.Run> runs, List<Ratio> baselineOverShardgate, List<Ratio> mtlsOverPlaintext,
            Double flatnessP50, Double flatnessP99, Map<String, String> targets) {}

    private ActivationFigures() {}

    public static Figures run(Options options, Path chart) throws Exception {
        List<ActivationScenario.Run> runs = new ArrayList<>();
        for (int domains : options.domains()) {
            int shards = options.domainsPerShard() <= 0 ? 1 : Math.max(1, (domains + options.domainsPerShard() - 1) / options.domainsPerShard());
            WorkloadSpec spec = WorkloadSpec.of(domains, shards).withTlsShare(options.tlsShare()).withClaims(options.claims());
            for (String target : options.targets()) {
                ActivationScenario.Options o = options.run();
                o = new ActivationScenario.Options(o.source(), o.clients(), o.deltaShare(), options.changesByTarget().get(target),
                        o.warmup(), o.timeout());
                runs.add(ActivationScenario.run(target, spec, o));
            }
        }
        List<Ratio> ratios = overShardgate(runs, options.domains(), "baseline");
        int smallest = options.domains().stream().mapToInt(Integer::intValue).min().orElse(0);
        int largest = options.domains().stream().mapToInt(Integer::intValue).max().orElse(0);
        ActivationScenario.Run small = find(runs, "shardgate", smallest);
        ActivationScenario.Run large = find(runs, "shardgate", largest);
        Double flat50 = small == null || large == null || smallest == largest ? null : large.activationMs().p50() / small.activationMs().p50();
        Double flat99 = small == null || large == null || smallest == largest ? null : large.activationMs().p99() / small.activationMs().p99();
        Figures figures = new Figures(runs, ratios, overShardgate(runs, options.domains(), "shardgate-mtls"), flat50, flat99,
                targets(runs, ratios, flat99, largest));
        draw(chart, options, runs);
        return figures;
    }

    private static List<Ratio> overShardgate(List<ActivationScenario.Run> runs, List<Integer> sizes, String other) {
        List<Ratio> ratios = new ArrayList<>();
        for (int domains : sizes) {
            ActivationScenario.Run sg = find(runs, "shardgate", domains);
            ActivationScenario.Run o = find(runs, other, domains);
            if (sg == null || o == null) continue;
            ratios.add(new Ratio(domains, o.activationMs().p50() / sg.activationMs().p50(),
                    o.activationMs().p99() / sg.activationMs().p99(), o.serverCpuMsPerChange() / sg.serverCpuMsPerChange(),
                    o.bytesPerChange() / sg.bytesPerChange(), o.coldServedMs() / sg.coldServedMs(),
                    (double) o.heapBytes() / sg.heapBytes()));
        }
        return ratios;
    }

    /** Issue 4's targets, each "met" or "missed" with the figure; only those this run measured. */
    private static Map<String, String> targets(List<ActivationScenario.Run> runs, List<Ratio> ratios, Double flat99, int largest) {
        Map<String, String> out = new LinkedHashMap<>();
        ActivationScenario.Run large = find(runs, "shardgate", largest);
        if (large != null) {
            out.put("activation p99 <= 10 ms at " + largest + " domains", verdict(large.activationMs().p99() <= 10,
                    String.format("%.1f ms", large.activationMs().p99())));
            out.put("cold start <= 5 s at " + largest + " domains", verdict(large.coldServedMs() <= 5000,
                    String.format("%.2f s", large.coldServedMs() / 1000)));
        }
        if (flat99 != null) out.put("flatness (p99) <= 1.5", verdict(flat99 <= 1.5, String.format("%.2f", flat99)));
        for (Ratio r : ratios) {
            if (r.domains() == 20_000) {
                out.put("CPU per change >= 100x lower than the baseline at 20000", verdict(r.serverCpuPerChange() >= 100,
                        String.format("%.1fx", r.serverCpuPerChange())));
            }
        }
        return out;
    }

    static String verdict(boolean met, String figure) {
        return (met ? "met: " : "missed: ") + figure;
    }

    private static ActivationScenario.Run find(List<ActivationScenario.Run> runs, String target, int domains) {
        return runs.stream().filter(r -> r.target().equals(target) && r.domains() == domains).findFirst().orElse(null);
    }

    private static void draw(Path chart, Options options, List<ActivationScenario.Run> runs) throws Exception {
        Map<String, double[][]> series = new LinkedHashMap<>();
        for (String target : options.targets()) {
            List<ActivationScenario.Run> mine = runs.stream().filter(r -> r.target().equals(target) && r.activationMs().count() > 0).toList();
            if (mine.isEmpty()) continue;
            double[] x = mine.stream().mapToDouble(ActivationScenario.Run::domains).toArray();
            series.put(target + " p50", new double[][] {x, mine.stream().mapToDouble(r -> r.activationMs().p50()).toArray()});
            series.put(target + " p99", new double[][] {x, mine.stream().mapToDouble(r -> r.activationMs().p99()).toArray()});
        }
        Charts.lines(chart, "Activation latency, " + options.run().clients() + " clients (" + options.run().source() + " source)",
                "domains", "activation (ms, log)", series);
    }

}
