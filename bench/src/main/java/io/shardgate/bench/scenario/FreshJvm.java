package io.shardgate.bench.scenario;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.shardgate.bench.Args;
import io.shardgate.bench.workload.WorkloadSpec;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One activation run (a target at a size) in a JVM of its own, started with this JVM's flags and class path: what ran
 * before cannot decide its cold start, heap or JIT state. The request and the {@link ActivationScenario.Run} go through
 * JSON files.
 */
final class FreshJvm {
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    record Request(String target, WorkloadSpec spec, ActivationScenario.Options options) {}

    private FreshJvm() {}

    static ActivationScenario.Run run(String target, WorkloadSpec spec, ActivationScenario.Options options) throws Exception {
        Path request = Files.createTempFile("bench-run-", ".json");
        Path result = Files.createTempFile("bench-result-", ".json");
        try {
            JSON.writeValue(request.toFile(), new Request(target, spec, options));
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) command.add(ownRecording(flag, target, spec));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.shardgate.bench.Bench", "activation-run",
                    "--request=" + request, "--result=" + result));
            Process process = new ProcessBuilder(command).inheritIO().start();
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(target + " at " + spec.domains() + " domains failed in its JVM (exit " + exit
                        + "): its output is above");
            }
            return JSON.readValue(result.toFile(), ActivationScenario.Run.class);
        } finally {
            Files.deleteIfExists(request);
            Files.deleteIfExists(result);
        }
    }

    /**
     * A Flight Recording asked for with {@code BENCH_JAVA_OPTS} goes to a file of each run's own ({@code x.jfr} becomes
     * {@code x-<target>-<domains>.jfr}): the runs, and this JVM at its exit, would otherwise overwrite one another.
     */
    static String ownRecording(String flag, String target, WorkloadSpec spec) {
        if (!flag.startsWith("-XX:StartFlightRecording")) return flag;
        return flag.replaceAll("filename=([^,]*?)(\\.jfr)?(,|$)", "filename=$1-" + target + "-" + spec.domains() + ".jfr$3");
    }

    /** {@code Bench activation-run --request=<file> --result=<file>}: the child's whole life. */
    static void serve(Args args) throws Exception {
        Path requestFile = Path.of(args.string("request", ""));
        Path resultFile = Path.of(args.string("result", ""));
        args.checkAllRead();
        Request request = JSON.readValue(requestFile.toFile(), Request.class);
        JSON.writeValue(resultFile.toFile(), ActivationScenario.run(request.target(), request.spec(), request.options()));
    }
}
