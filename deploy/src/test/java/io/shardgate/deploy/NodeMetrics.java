package io.shardgate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The Prometheus names of the metrics a node exports. */
final class NodeMetrics {
    /** A Micrometer meter registration: its type, its name, and the builder calls up to register(). */
    private static final Pattern BUILDER = Pattern.compile(
            "\\b(Counter|FunctionCounter|Gauge|TimeGauge|Timer|FunctionTimer|DistributionSummary)\\.builder\\(\\s*\"(shardgate\\.[a-z0-9.]+)\"");
    private static final Pattern BASE_UNIT = Pattern.compile("\\.baseUnit\\(\\s*\"([a-z]+)\"");

    private NodeMetrics() {}

    /**
     * The shardgate_* series of every meter the node's sources register, named as Micrometer's Prometheus
     * registry names them: counters {@code _total}; timers {@code _seconds_count|_sum|_max}; summaries in their
     * base unit; {@code _bucket} only where a percentile histogram is published.
     */
    static Set<String> fromSource() {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Manifests.ROOT.resolve("node/src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher m = BUILDER.matcher(text);
                while (m.find()) {
                    int register = text.indexOf(".register(", m.end());
                    String chain = text.substring(m.end(), register < 0 ? text.length() : register);
                    String base = m.group(2).replace('.', '_');
                    boolean histogram = chain.contains(".publishPercentileHistogram()");
                    switch (m.group(1)) {
                        case "Counter", "FunctionCounter" -> names.add(base + "_total");
                        case "Gauge" -> names.add(base);
                        case "TimeGauge" -> names.add(base + "_seconds");
                        case "Timer", "FunctionTimer" -> addDistribution(names, base + "_seconds", histogram);
                        case "DistributionSummary" -> {
                            Matcher unit = BASE_UNIT.matcher(chain);
                            addDistribution(names, unit.find() ? base + "_" + unit.group(1) : base, histogram);
                        }
                        default -> throw new IllegalStateException(m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static void addDistribution(Set<String> names, String base, boolean histogram) {
        names.add(base + "_count");
        names.add(base + "_sum");
        names.add(base + "_max");
        if (histogram) names.add(base + "_bucket");
    }

    /**
     * Every series name in the /metrics text a node served during node's own tests (DefaultRunTest writes
     * node/target/metrics.prom), when that build has run here.
     */
    static Optional<Set<String>> fromScrape() {
        Path prom = Manifests.ROOT.resolve("node/target/metrics.prom");
        if (!Files.isRegularFile(prom)) return Optional.empty();
        Set<String> names = new TreeSet<>();
        for (String line : Manifests.read(prom).lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) continue;
            names.add(line.split("[{ ]", 2)[0]);
        }
        return Optional.of(names);
    }
}
