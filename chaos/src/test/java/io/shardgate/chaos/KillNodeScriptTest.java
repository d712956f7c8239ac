package io.shardgate.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill-node.sh parses (and passes shellcheck where installed), documents itself, signals a local process through
 * its pid file, waits for a convergence check, and drives kubectl as expected (a recording fake on PATH).
 */
class KillNodeScriptTest {
    private static final Path SCRIPT = Path.of(System.getProperty("chaos.script", "kill-node.sh"));

    @TempDir
    Path dir;

    @Test
    void scriptParses() throws Exception {
        assertThat(run(List.of("bash", "-n", SCRIPT.toString())).exit).isZero();
    }

    @Test
    void passesShellcheckWhenItIsInstalled() throws Exception {
        Assumptions.assumeTrue(onPath("shellcheck"), "shellcheck not installed (apt-get install shellcheck)");
        Result r = run(List.of("shellcheck", SCRIPT.toString()));
        assertThat(r.exit).as(r.out).isZero();
    }

    @Test
    void helpDocumentsBothModes() throws Exception {
        Result r = run(List.of("bash", SCRIPT.toString(), "--help"));
        assertThat(r.exit).isZero();
        assertThat(r.out).contains("--interval", "--k8s", "--mode", "--check", "shareProcessNamespace");
    }

    @Test
    void waitsForTheCheckAfterEachActionAndReportsTheTime() throws Exception {
        Process victim = new ProcessBuilder("sleep", "120").start();
        try {
            Files.createDirectories(dir.resolve("nodes"));
            Files.writeString(dir.resolve("nodes/node-1.pid"), victim.pid() + "\n");
            Path flag = dir.resolve("converged");
            // The check succeeds on its third run: the script must keep trying, then report.
            String check = "n=$(cat " + dir.resolve("tries") + " 2>/dev/null || echo 0); echo $((n+1)) > " + dir.resolve("tries")
                    + "; [ $n -ge 2 ] && touch " + flag;
            Result r = run(List.of("bash", SCRIPT.toString(), "--dir", dir.toString(), "--check", check));
            assertThat(r.exit).as(r.out).isZero();
            assertThat(r.out).containsPattern("converged in \\d+s");
            assertThat(flag).exists();
            Process second = new ProcessBuilder("sleep", "120").start();
            try {
                Files.writeString(dir.resolve("nodes/node-2.pid"), second.pid() + "\n");
                assertThat(run(List.of("bash", SCRIPT.toString(), "--dir", dir.toString(), "--check", "false",
                        "--check-timeout", "1", "node-2")).exit).as("a check that never succeeds fails the run").isEqualTo(1);
            } finally {
                second.destroyForcibly();
            }
        } finally {
            victim.destroyForcibly();
        }
    }

    @Test
    void kubernetesModeForceDeletesARandomRunningPod() throws Exception {
        Path calls = fakeKubectl();
        Result r = runWithFakeKubectl(List.of("bash", SCRIPT.toString(), "--k8s", "--namespace", "sg"));
        assertThat(r.exit).as(r.out).isZero();
        List<String> made = Files.readAllLines(calls);
        assertThat(made).hasSize(2);
        assertThat(made.get(0)).isEqualTo("get pods --namespace sg --selector app.kubernetes.io/name=shardgate,"
                + "app.kubernetes.io/component=control-plane --field-selector status.phase=Running "
                + "--output jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}");
        assertThat(made.get(1)).matches("delete pod --namespace sg shardgate-[012] --grace-period=0 --force --wait=false");
    }

    @Test
    void kubernetesModeFreezesTheJvmOfAGivenPodThenThawsIt() throws Exception {
        Path calls = fakeKubectl();
        Result r = runWithFakeKubectl(List.of("bash", SCRIPT.toString(), "--k8s", "--mode", "freeze", "--freeze", "1",
                "shardgate-2"));
        assertThat(r.exit).as(r.out).isZero();
        List<String> made = Files.readAllLines(calls);
        assertThat(made).hasSize(2);
        assertThat(made.get(0)).startsWith("exec --namespace shardgate shardgate-2 -c shardgate -- sh -c ")
                .contains("shardgate-node.jar").contains("kill -STOP");
        assertThat(made.get(1)).contains("kill -CONT");
        assertThat(run(List.of("bash", SCRIPT.toString(), "--k8s", "--mode", "freeze")).exit)
                .as("freeze needs a duration").isEqualTo(2);
    }

    /** A kubectl that records its arguments, one call a line, and lists three Running pods. */
    private Path fakeKubectl() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path calls = dir.resolve("kubectl-calls");
        Files.writeString(bin.resolve("kubectl"), """
                #!/usr/bin/env bash
                echo "$*" >> %s
                if [[ "$1" == get ]]; then printf 'shardgate-0\\nshardgate-1\\nshardgate-2\\n'; fi
                """.formatted(calls));
        assertThat(bin.resolve("kubectl").toFile().setExecutable(true)).isTrue();
        return calls;
    }

    private Result runWithFakeKubectl(List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        return run(pb);
    }

    private static boolean onPath(String command) throws Exception {
        return new ProcessBuilder("bash", "-c", "command -v " + command).start().waitFor() == 0;
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
        return run(new ProcessBuilder(cmd).redirectErrorStream(true));
    }

    private static Result run(ProcessBuilder pb) throws Exception {
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return new Result(p.exitValue(), out);
        } finally {
            p.destroyForcibly();
        }
    }
}
