package io.shardgate.bench.measure;

import io.shardgate.bench.Args;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a Flight Recording's execution samples went: per group of threads (the simulated fleet, the engine, the ADS
 * event loops, the translation pool, the harness) and, for each {@code group:method} asked for, how many of that
 * group's samples have the method anywhere on the stack ("Class.method", the class without its package; a part of
 * it matches). docs/benchmarks.md's profile tables are counted with it:
 * {@code bench/bench.sh jfr-shares --file=/tmp/after.jfr --in=eventloops:TypeSubscription.replaceNames,...};
 * {@code --from=54s} counts only the samples at least that long after the recording's first one (a run's measured
 * phase rather than its cold start).
 */
public final class JfrShares {
    /** Thread name prefix to group, first match wins. */
    private static final Map<String, String> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("grpc-default-executor", "fleet");
        GROUPS.put("shardgate-engine", "engine");
        GROUPS.put("vert.x-eventloop", "eventloops");
        GROUPS.put("ForkJoinPool.commonPool", "pool");
        GROUPS.put("main", "main");
        GROUPS.put("bench-", "tracker");
    }

    /** One execution sample: the sampled thread and its frames as "Class.method", innermost first. */
    public record Sample(String thread, List<String> frames) {}

    public record Share(String group, String method, long samples, long groupSamples, double ofGroup, double ofAll) {}

    public record Figures(String file, long samples, Map<String, Long> byGroup, List<Share> shares) {}

    private JfrShares() {}

    public static Figures run(Args args) throws IOException {
        String file = args.string("file", "");
        if (file.isEmpty()) throw new IllegalArgumentException("--file=<recording.jfr> is required");
        List<String> asked = args.string("in", "").isEmpty() ? List.of() : args.strings("in", "");
        Duration from = args.duration("from", "0s");
        args.checkAllRead();
        List<RecordedEvent> events = RecordingFile.readAllEvents(Path.of(file)).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.ExecutionSample") && e.getStackTrace() != null)
                .toList();
        Instant first = events.stream().map(RecordedEvent::getStartTime).min(Instant::compareTo).orElse(Instant.EPOCH);
        List<Sample> samples = new ArrayList<>();
        for (RecordedEvent e : events) {
            if (e.getStartTime().isBefore(first.plus(from))) continue;
            var sampled = e.getThread("sampledThread");
            String thread = sampled == null || sampled.getJavaName() == null ? "?" : sampled.getJavaName();
            List<String> frames = new ArrayList<>();
            for (RecordedFrame f : e.getStackTrace().getFrames()) {
                String type = f.getMethod().getType().getName();
                frames.add(type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName());
            }
            samples.add(new Sample(thread, frames));
        }
        Figures figures = count(file, samples, asked);
        figures.byGroup().forEach((group, n) -> System.out.printf("[bench] %-12s %6d samples%n", group, n));
        figures.shares().forEach(s -> System.out.printf("[bench] %s/%s: %d of %d (%.1f %% of the group, %.1f %% of all)%n",
                s.group(), s.method(), s.samples(), s.groupSamples(), s.ofGroup(), s.ofAll()));
        return figures;
    }

    /** Counts {@code samples}; {@code asked} are "group:method" pairs. */
    static Figures count(String file, List<Sample> samples, List<String> asked) {
        Map<String, Long> byGroup = new LinkedHashMap<>();
        for (Sample s : samples) byGroup.merge(group(s.thread()), 1L, Long::sum);
        List<Share> shares = new ArrayList<>();
        for (String spec : asked) {
            int colon = spec.indexOf(':');
            if (colon < 0) throw new IllegalArgumentException("--in: expected group:method, got " + spec);
            String group = spec.substring(0, colon);
            String method = spec.substring(colon + 1);
            long hits = samples.stream()
                    .filter(s -> group(s.thread()).equals(group) && s.frames().stream().anyMatch(f -> f.contains(method)))
                    .count();
            long inGroup = byGroup.getOrDefault(group, 0L);
            shares.add(new Share(group, method, hits, inGroup, percent(hits, inGroup), percent(hits, samples.size())));
        }
        return new Figures(file, samples.size(), byGroup, shares);
    }

    static String group(String thread) {
        for (Map.Entry<String, String> g : GROUPS.entrySet()) {
            if (thread.startsWith(g.getKey())) return g.getValue();
        }
        return "other";
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }
}
