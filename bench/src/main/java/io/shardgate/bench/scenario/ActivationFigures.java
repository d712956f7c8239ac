package io.shardgate.bench.scenario;

import io.shardgate.bench.Args;
import io.shardgate.bench.fleet.FleetPlacement;
import io.shardgate.bench.report.Charts;
import io.shardgate.bench.workload.Change;
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

    /** @param freshJvm each target at each size runs in a JVM of its own ({@code --jvm=fresh}, the default; or {@code shared}) */
    public record Options(List<Integer> domains, List<String> targets, int domainsPerShard, double tlsShare,
            ActivationScenario.Options run, Map<String, Integer> changesByTarget, List<WorkloadSpec.Claims> claims, boolean freshJvm) {

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
                    args.duration("timeout", "120s"), FleetPlacement.from(args));
            List<WorkloadSpec.Claims> claims = args.strings("claims", "ingress").stream().map(WorkloadSpec.Claims::of).toList();
            if (claims.stream().anyMatch(WorkloadSpec.Claims::isGatewayApi) && !run.source().equals("direct")) {
                throw new IllegalArgumentException("--claims=" + String.join(",", args.strings("claims", "ingress"))
                        + ": HTTPRoutes only with --source=direct (the API source writes Ingresses)");
            }
            boolean fresh = switch (args.string("jvm", "fresh")) {
                case "fresh" -> true;
                case "shared" -> false;
                default -> throw new IllegalArgumentException("--jvm=" + args.string("jvm", "") + ": expected fresh or shared");
            };
            args.checkAllRead();
            return new Options(domains, targets, perShard, tls, run, byTarget, claims, fresh);
        }
    }

    /**
     * Another target over Shardgate (plaintext) at one size: for the baseline, above 1 means Shardgate is better by
     * that factor; for shardgate-mtls, it is what mTLS costs.
     */
    public record Ratio(int domains, double activationP50, double activationP99, double serverCpuPerChange, double bytesPerChange,
            double coldStart, double heap) {}

    /** Shardgate with another kind of claims over Shardgate with the first kind given, at each size, from the same run. */
    public record ClaimsRatio(String claims, String over, Ratio ratio) {}

    /**
     * @param classicOverScoped Shardgate in the classic layout over Shardgate in the scoped layout (above 1: scoped is
     *     better by that factor)
     * @param baselineOverScoped the baseline (classic) over Shardgate in the scoped layout
     */
    public record Figures(List<ActivationScenario.Run> runs, List<Ratio> baselineOverShardgate, List<Ratio> mtlsOverPlaintext,
            List<Ratio> classicOverScoped, List<Ratio> baselineOverScoped, List<ClaimsRatio> claimsOverFirst, Double flatnessP50,
            Double flatnessP99, Map<String, String> targets) {}

    private ActivationFigures() {}

    public static Figures run(Options options, Path chart) throws Exception {
        List<ActivationScenario.Run> runs = new ArrayList<>();
        for (int domains : options.domains()) {
            int shards = options.domainsPerShard() <= 0 ? 1 : Math.max(1, (domains + options.domainsPerShard() - 1) / options.domainsPerShard());
            for (WorkloadSpec.Claims claims : options.claims()) {
                WorkloadSpec spec = WorkloadSpec.of(domains, shards).withTlsShare(options.tlsShare()).withClaims(claims);
                for (String target : options.targets()) {
                    ActivationScenario.Options o = options.run();
                    o = new ActivationScenario.Options(o.source(), o.clients(), o.deltaShare(), options.changesByTarget().get(target),
                            o.warmup(), o.timeout(), o.fleet());
                    runs.add(options.freshJvm() ? FreshJvm.run(target, spec, o) : ActivationScenario.run(target, spec, o));
                }
            }
        }
        // Ratios, flatness and issue 4's targets are of the first kind of claims given.
        String first = options.claims().get(0).label();
        List<ActivationScenario.Run> ofFirst = runs.stream().filter(r -> r.claims().equals(first)).toList();
        List<Ratio> ratios = over(ofFirst, options.domains(), "shardgate", "baseline");
        int smallest = options.domains().stream().mapToInt(Integer::intValue).min().orElse(0);
        int largest = options.domains().stream().mapToInt(Integer::intValue).max().orElse(0);
        ActivationScenario.Run small = find(ofFirst, "shardgate", smallest);
        ActivationScenario.Run large = find(ofFirst, "shardgate", largest);
        Double flat50 = small == null || large == null || smallest == largest ? null : large.activationMs().p50() / small.activationMs().p50();
        Double flat99 = small == null || large == null || smallest == largest ? null : large.activationMs().p99() / small.activationMs().p99();
        List<ClaimsRatio> byClaims = new ArrayList<>();
        for (WorkloadSpec.Claims other : options.claims().subList(1, options.claims().size())) {
            List<ActivationScenario.Run> pair = runs.stream().filter(r -> r.target().equals("shardgate")
                    && (r.claims().equals(first) || r.claims().equals(other.label()))).toList();
            for (Ratio r : over(pair, options.domains(), first, other.label())) byClaims.add(new ClaimsRatio(other.label(), first, r));
        }
        List<Ratio> baselineOverScoped = over(ofFirst, options.domains(), "shardgate-scoped", "baseline");
        Map<String, String> targets = targets(ofFirst, ratios, flat99, largest);
        targets.putAll(scopedTargets(ofFirst, baselineOverScoped, largest));
        Figures figures = new Figures(runs, ratios, over(ofFirst, options.domains(), "shardgate", "shardgate-mtls"),
                over(ofFirst, options.domains(), "shardgate-scoped", "shardgate"), baselineOverScoped,
                byClaims, flat50, flat99, targets);
        draw(chart, options, runs);
        return figures;
    }

    /** One run in a fresh JVM: see {@link FreshJvm}. */
    public static void runChild(Args args) throws Exception {
        FreshJvm.serve(args);
    }

    /** Runs named {@code other} over runs named {@code base} (by target, or by claims), at each size both have. */
    private static List<Ratio> over(List<ActivationScenario.Run> runs, List<Integer> sizes, String base, String other) {
        List<Ratio> ratios = new ArrayList<>();
        for (int domains : sizes) {
            ActivationScenario.Run sg = find(runs, base, domains);
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

    /** Issue 16's targets for the scoped layout at the largest size, and cold start translated for every target. */
    private static Map<String, String> scopedTargets(List<ActivationScenario.Run> runs, List<Ratio> baselineOverScoped, int largest) {
        Map<String, String> out = new LinkedHashMap<>();
        ActivationScenario.Run scoped = find(runs, "shardgate-scoped", largest);
        if (scoped != null) {
            out.put("scoped: activation p99 <= 10 ms at " + largest + " domains", verdict(scoped.activationMs().p99() <= 10,
                    String.format("%.1f ms", scoped.activationMs().p99())));
            ActivationScenario.KindCost edit = scoped.costByKind().get(Change.Kind.UPDATE);
            if (edit != null) {
                out.put("scoped: bytes per route edit <= 2 KB per receiving client at " + largest + " domains",
                        verdict(edit.bytesPerClient() <= 2048, String.format("%.0f B", edit.bytesPerClient())));
            }
        }
        for (Ratio r : baselineOverScoped) {
            if (r.domains() != largest) continue;
            out.put("scoped: server CPU per change >= 100x lower than the baseline at " + largest + " domains",
                    verdict(r.serverCpuPerChange() >= 100, String.format("%.1fx", r.serverCpuPerChange())));
        }
        for (ActivationScenario.Run run : runs) {
            if (run.domains() != largest) continue;
            out.put(run.target() + ": cold start <= 5 s translated at " + largest + " domains", verdict(run.coldTranslatedMs() <= 5000,
                    String.format("%.2f s", run.coldTranslatedMs() / 1000)));
        }
        return out;
    }

    static String verdict(boolean met, String figure) {
        return (met ? "met: " : "missed: ") + figure;
    }

    /** The run at that size whose target, or (among one target's runs) whose claims, is named so. */
    private static ActivationScenario.Run find(List<ActivationScenario.Run> runs, String name, int domains) {
        return runs.stream().filter(r -> (r.target().equals(name) || r.claims().equals(name)) && r.domains() == domains)
                .findFirst().orElse(null);
    }

    private static void draw(Path chart, Options options, List<ActivationScenario.Run> runs) throws Exception {
        Map<String, double[][]> series = new LinkedHashMap<>();
        for (WorkloadSpec.Claims claims : options.claims()) {
            for (String target : options.targets()) {
                List<ActivationScenario.Run> mine = runs.stream().filter(r -> r.target().equals(target)
                        && r.claims().equals(claims.label()) && r.activationMs().count() > 0).toList();
                if (mine.isEmpty()) continue;
                String name = options.claims().size() == 1 ? target : target + " (" + claims.label() + ")";
                double[] x = mine.stream().mapToDouble(ActivationScenario.Run::domains).toArray();
                series.put(name + " p50", new double[][] {x, mine.stream().mapToDouble(r -> r.activationMs().p50()).toArray()});
                series.put(name + " p99", new double[][] {x, mine.stream().mapToDouble(r -> r.activationMs().p99()).toArray()});
            }
        }
        Charts.lines(chart, "Activation latency, " + options.run().clients() + " clients (" + options.run().source() + " source)",
                "domains", "activation (ms, log)", series);
        drawByKind(byKindChart(chart), options, runs);
    }

    /** Where the chart of each kind of change goes: beside the activation chart, {@code <name>-by-kind.png}. */
    public static Path byKindChart(Path chart) {
        return chart.resolveSibling(chart.getFileName().toString().replaceFirst("\\.png$", "") + "-by-kind.png");
    }

    /** p99 activation of each kind of change (those every run measured), a bar per target and size. */
    private static void drawByKind(Path file, Options options, List<ActivationScenario.Run> runs) throws Exception {
        List<Change.Kind> kinds = java.util.Arrays.stream(Change.Kind.values())
                .filter(k -> !runs.isEmpty() && runs.stream().allMatch(r -> r.byKind().containsKey(k))).toList();
        if (kinds.isEmpty()) return;
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (ActivationScenario.Run r : runs) {
            String name = r.target() + " " + String.format("%,d", r.domains()) + (options.claims().size() == 1 ? "" : " " + r.claims());
            series.put(name, kinds.stream().map(k -> r.byKind().get(k).p99()).toList());
        }
        boolean log = series.values().stream().flatMap(List::stream).allMatch(v -> v > 0); // a log axis cannot show 0
        Charts.bars(file, "p99 activation by kind of change, " + options.run().clients() + " clients", "kind of change",
                "p99 activation (ms" + (log ? ", log)" : ")"), kinds.stream().map(k -> k.name().toLowerCase(java.util.Locale.ROOT)).toList(),
                series, log);
    }

}
