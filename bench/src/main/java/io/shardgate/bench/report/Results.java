package io.shardgate.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Machine-readable results: one JSON file per scenario, with the command and the machine that produced them. */
public final class Results {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Results() {}

    public static Path write(Path dir, String scenario, List<String> command, Object figures) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scenario", scenario);
        out.put("command", String.join(" ", command));
        out.put("date", Instant.now().toString());
        out.put("machine", machine());
        out.put("figures", figures);
        Files.createDirectories(dir);
        Path file = dir.resolve(scenario + ".json");
        JSON.writeValue(file.toFile(), out);
        return file;
    }

    public static Map<String, Object> read(Path file) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = JSON.readValue(file.toFile(), Map.class);
        return map;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20);
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) m.put("memoryMb", sun.getTotalMemorySize() >> 20);
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments());
        return m;
    }
}
