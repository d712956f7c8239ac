package io.shardgate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The Prometheus names of the metrics the node registers, read from its sources as Micrometer names. */
final class NodeMetrics {
    private NodeMetrics() {}

    static Set<String> exportedNames() {
        Set<String> names = new TreeSet<>();
        Pattern meter = Pattern.compile("\"(shardgate\\.[a-z0-9.]+)\"");
        try (Stream<Path> files = Files.walk(Manifests.ROOT.resolve("node/src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = meter.matcher(Files.readString(file));
                while (m.find()) {
                    String base = m.group(1).replace('.', '_');
                    names.add(base);
                    for (String suffix : Set.of("_total", "_seconds", "_seconds_bucket", "_seconds_count", "_seconds_sum",
                            "_seconds_max", "_bytes", "_bytes_count", "_bytes_sum", "_bytes_max")) {
                        names.add(base + suffix);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
