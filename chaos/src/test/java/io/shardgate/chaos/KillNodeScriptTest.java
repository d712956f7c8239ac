package io.shardgate.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill-node.sh parses, documents itself, and signals a process through its pid file. */
class KillNodeScriptTest {
    private static final Path SCRIPT = Path.of(System.getProperty("chaos.script", "kill-node.sh"));

    @TempDir
    Path dir;

    @Test
    void scriptParses() throws Exception {
        assertThat(run(List.of("bash", "-n", SCRIPT.toString())).exit).isZero();
    }

    @Test
    void helpExitsZeroAndMentionsKubernetesAsLater() throws Exception {
        Result r = run(List.of("bash", SCRIPT.toString(), "--help"));
        assertThat(r.exit).isZero();
        assertThat(r.out).contains("--interval").contains("Kubernetes").contains("later");
    }

    @Test
    void killsTheNodeOfAPidFile() throws Exception {
        Process victim = new ProcessBuilder("sleep", "120").start();
        try {
            Files.createDirectories(dir.resolve("nodes"));
            Files.writeString(dir.resolve("nodes/node-1.pid"), victim.pid() + "\n");
            Result r = run(List.of("bash", SCRIPT.toString(), "--dir", dir.toString()));
            assertThat(r.exit).as(r.out).isZero();
            assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(run(List.of("bash", SCRIPT.toString(), "--dir", dir.toString(), "--list")).out).contains("dead");
        } finally {
            victim.destroyForcibly();
        }
    }

    @Test
    void rejectsUnknownOptions() throws Exception {
        assertThat(run(List.of("bash", SCRIPT.toString(), "--bogus")).exit).isNotZero();
    }

    private record Result(int exit, String out) {}

    private static Result run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return new Result(p.exitValue(), out);
        } finally {
            p.destroyForcibly();
        }
    }
}
