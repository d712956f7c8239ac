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
 * {@code --from=54s} counts only the events at least that long after the recording's first one (a run's measured
 * phase rather than its cold start), {@code --to=} only those before; the JIT's compilations and the collectors' pauses
 * in that window are counted too.
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

    /**
     * What the JVM itself spent in the window: the compilations the recording kept (the {@code profile} settings keep
     * those of 100 ms or more, so this is a floor) and the collectors' pauses.
     */
    public record JvmCosts(int compilations, double compileMs, int collections, double gcPauseMs) {
        static JvmCosts of(List<Duration> compilations, List<Duration> pauses) {
            return new JvmCosts(compilations.size(), millis(compilations), pauses.size(), millis(pauses));
        }

        private static double millis(List<Duration> durations) {
            return durations.stream().mapToLong(Duration::toNanos).sum() / 1e6;
        }
    }

    public record Figures(String file, long samples, Map<String, Long> byGroup, List<Share> shares, JvmCosts jvm) {}

    private JfrShares() {}

    public static Figures run(Args args) throws IOException {
        String file = args.string("file", "");
        if (file.isEmpty()) throw new IllegalArgumentException("--file=<recording.jfr> is required");
        List<String> asked = args.string("in", "").isEmpty() ? List.of() : args.strings("in", "");
        Duration from = args.duration("from", "0s");
        Duration to = args.duration("to", "100000s");
        args.checkAllRead();
        List<RecordedEvent> all = RecordingFile.readAllEvents(Path.of(file));
        Instant first = all.stream().map(RecordedEvent::getStartTime).min(Instant::compareTo).orElse(Instant.EPOCH);
        List<RecordedEvent> events = all.stream()
                .filter(e -> !e.getStartTime().isBefore(first.plus(from)) && e.getStartTime().isBefore(first.plus(to)))
                .toList();
        List<Duration> compilations = events.stream().filter(e -> e.getEventType().getName().equals("jdk.Compilation"))
                .map(RecordedEvent::getDuration).toList();
        List<Duration> pauses = events.stream().filter(e -> e.getEventType().getName().equals("jdk.GarbageCollection"))
                .map(e -> e.getDuration("sumOfPauses")).toList();
        List<Sample> samples = new ArrayList<>();
        for (RecordedEvent e : events) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) continue;
            var sampled = e.getThread("sampledThread");
            String thread = sampled == null || sampled.getJavaName() == null ? "?" : sampled.getJavaName();
            List<String> frames = new ArrayList<>();
            for (RecordedFrame f : e.getStackTrace().getFrames()) {
                String type = f.getMethod().getType().getName();
                frames.add(type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName());
            }
            samples.add(new Sample(thread, frames));
        }
        Figures figures = count(file, samples, asked, JvmCosts.of(compilations, pauses));
        System.out.printf("[bench] JIT: %d compilations kept by the recording, %.0f ms; GC: %d collections, %.0f ms of pauses%n",
                figures.jvm().compilations(), figures.jvm().compileMs(), figures.jvm().collections(), figures.jvm().gcPauseMs());
        figures.byGroup().forEach((group, n) -> System.out.printf("[bench] %-12s %6d samples%n", group, n));
        figures.shares().forEach(s -> System.out.printf("[bench] %s/%s: %d of %d (%.1f %% of the group, %.1f %% of all)%n",
                s.group(), s.method(), s.samples(), s.groupSamples(), s.ofGroup(), s.ofAll()));
        return figures;
    }

    /** Counts {@code samples}; {@code asked} are "group:method" pairs. */
    static Figures count(String file, List<Sample> samples, List<String> asked, JvmCosts jvm) {
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
        return new Figures(file, samples.size(), byGroup, shares, jvm);
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
