package io.shardgate.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * kill-node.sh parses (and passes shellcheck where installed), documents itself, signals a local process through
 * its pid file, waits for a convergence check, and drives kubectl as expected (a recording fake on PATH that
 * runs here what the script execs in a pod).
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
        assertThat(r.out).contains("--interval", "--k8s", "--mode", "kill9", "--jar", "--check", "shareProcessNamespace");
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
    void kubernetesModeForceDeletesRandomRunningPodsButNotOnesBeingDeleted() throws Exception {
        Path calls = fakeKubectl("shardgate-0\t\nshardgate-1\t\nshardgate-2\t2026-11-22T10:00:00Z\n");
        Result r = runWithFakeKubectl(List.of("bash", SCRIPT.toString(), "--k8s", "--namespace", "sg", "--selector", "app=sg",
                "--interval", "0", "--count", "6", "--check", "true"));
        assertThat(r.exit).as(r.out).isZero();
        List<List<String>> made = calls(calls);
        assertThat(made).hasSize(12);
        for (int i = 0; i < made.size(); i += 2) {
            assertThat(made.get(i)).containsExactly("get", "pods", "--namespace", "sg", "--selector", "app=sg",
                    "--field-selector", "status.phase=Running",
                    "--output", "jsonpath={range .items[*]}{.metadata.name}{\"\\t\"}{.metadata.deletionTimestamp}{\"\\n\"}{end}");
            assertThat(made.get(i + 1)).hasSize(8).startsWith("delete", "pod", "--namespace", "sg")
                    .endsWith("--grace-period=0", "--force", "--wait=false");
            assertThat(made.get(i + 1).get(4)).as("a Running pod not being deleted").isIn("shardgate-0", "shardgate-1");
        }
        assertThat(r.out.lines().filter(l -> l.matches(".*converged in \\d+s.*"))).as(r.out).hasSize(6);
    }

    @Test
    void kubernetesModeFailsWhenNoPodRuns() throws Exception {
        Path calls = fakeKubectl("");
        Result r = runWithFakeKubectl(List.of("bash", SCRIPT.toString(), "--k8s"));
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.out).contains("no Running pod");
        assertThat(calls(calls)).hasSize(1);
    }

    /**
     * The fake kubectl runs what it is asked to exec in the pod here, against a JVM started as the node's is
     * ({@code java -jar .../NAME}); the jar's name is unique, so no other process on this machine can match.
     */
    @ParameterizedTest
    @CsvSource({"kill9, KILL, 137", "kill, KILL, 137", "term, TERM, 143"})
    void kubernetesModeSignalsTheJvmInsideTheGivenPod(String mode, String signal, int exit) throws Exception {
        Path calls = fakeKubectl("");
        String jar = "fake-node-" + System.nanoTime() + ".jar";
        Process jvm = fakeNodeJvm(jar);
        try {
            Result r = runWithFakeKubectl(List.of("bash", SCRIPT.toString(), "--k8s", "--mode", mode, "--jar", jar, "shardgate-1"));
            assertThat(r.exit).as(r.out).isZero();
            List<List<String>> made = calls(calls);
            assertThat(made).hasSize(1);
            List<String> exec = made.get(0);
            assertThat(exec.subList(0, 9)).containsExactly("exec", "--namespace", "shardgate", "shardgate-1", "-c", "shardgate",
                    "--", "sh", "-c");
            assertThat(exec.subList(10, exec.size())).containsExactly("kill-node", jar, signal);
            assertThat(jvm.waitFor(20, TimeUnit.SECONDS)).as("the JVM got SIG" + signal).isTrue();
            assertThat(jvm.exitValue()).isEqualTo(exit);
        } finally {
            jvm.destroyForcibly();
        }
    }

    @Test
    void kubernetesModeFailsWhenThePodRunsNoNodeJvm() throws Exception {
        fakeKubectl("");
        Result r = runWithFakeKubectl(List.of("bash", SCRIPT.toString(), "--k8s", "--mode", "kill9",
                "--jar", "absent-" + System.nanoTime() + ".jar", "shardgate-0"));
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.out).contains("no java -jar", "could not send SIGKILL to the JVM in shardgate/shardgate-0");
    }

    @Test
    void kubernetesModeFreezesTheJvmOfAGivenPodThenThawsIt() throws Exception {
        Path calls = fakeKubectl("");
        String jar = "fake-node-" + System.nanoTime() + ".jar";
        Process jvm = fakeNodeJvm(jar);
        try {
            Result r = runWithFakeKubectl(List.of("bash", SCRIPT.toString(), "--k8s", "--mode", "freeze", "--freeze", "1",
                    "--jar", jar, "shardgate-2"));
            assertThat(r.exit).as(r.out).isZero();
            List<List<String>> made = calls(calls);
            assertThat(made).hasSize(2);
            assertThat(made.get(0)).startsWith("exec", "--namespace", "shardgate", "shardgate-2").endsWith(jar, "STOP");
            assertThat(made.get(1)).startsWith("exec", "--namespace", "shardgate", "shardgate-2").endsWith(jar, "CONT");
            assertThat(r.out).contains("freeze shardgate/shardgate-2", "thaw shardgate/shardgate-2");
            assertThat(jvm.isAlive()).as("thawed, still running").isTrue();
            assertThat(Files.readString(Path.of("/proc", Long.toString(jvm.pid()), "stat"))).as("not left stopped")
                    .doesNotContainPattern("^\\d+ \\(java\\) T ");
        } finally {
            jvm.destroyForcibly();
        }
        assertThat(run(List.of("bash", SCRIPT.toString(), "--k8s", "--mode", "freeze")).exit)
                .as("freeze needs a duration").isEqualTo(2);
        assertThat(run(List.of("bash", SCRIPT.toString(), "--k8s", "--mode", "explode")).exit).isEqualTo(2);
    }

    /**
     * A kubectl that records each call (arguments separated by US, one call a line), answers "get" with
     * {@code pods} and runs an "exec" command (what follows "--") here.
     */
    private Path fakeKubectl(String pods) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path calls = dir.resolve("kubectl-calls");
        Path podList = dir.resolve("pods");
        Files.writeString(podList, pods);
        Files.writeString(bin.resolve("kubectl"), """
                #!/usr/bin/env bash
                { printf '%%s\\x1f' "$@"; printf '\\n'; } >> %s
                case "$1" in
                  get) cat %s ;;
                  exec) while [[ $# -gt 0 && "$1" != -- ]]; do shift; done; shift; exec "$@" ;;
                esac
                """.formatted(calls, podList));
        assertThat(bin.resolve("kubectl").toFile().setExecutable(true)).isTrue();
        return calls;
    }

    private static List<List<String>> calls(Path file) throws Exception {
        if (!Files.exists(file)) return List.of();
        return Files.readAllLines(file).stream().map(l -> List.of(l.split("\u001f", -1)))
                .map(args -> args.subList(0, args.size() - 1)).toList();
    }

    /** {@code java -jar DIR/NAME}, a JVM that sleeps, running once its process shows as java with that command line. */
    private Process fakeNodeJvm(String name) throws Exception {
        Path jar = dir.resolve(name);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Sleeper.class.getName());
        String entry = Sleeper.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             InputStream in = Sleeper.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
        }
        Path output = dir.resolve(name + ".out");
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx16m",
                "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        // Signalled before it has started (its name already shows in /proc), a JVM does not exit as a running one
        // does: a SIGTERM during its initialisation gave status 1, not 143. Wait until its main method runs.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!readOrEmpty(output).contains(Sleeper.RUNNING)) {
            assertThat(System.nanoTime()).as("the fake node JVM started: %s", readOrEmpty(output)).isLessThan(deadline);
            assertThat(jvm.isAlive()).as("the fake node JVM runs: %s", readOrEmpty(output)).isTrue();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return jvm;
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** The fake node's main: sleeps until signalled. */
    public static final class Sleeper {
        static final String RUNNING = "sleeper running";

        public static void main(String[] args) throws InterruptedException {
            System.out.println(RUNNING);
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(2));
        }
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
