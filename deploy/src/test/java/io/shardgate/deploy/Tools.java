package io.shardgate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Command-line tools some checks use when the machine has them (kubectl, promtool). */
final class Tools {
    record Result(int exit, String out) {}

    private Tools() {}

    static boolean onPath(String command) {
        return run(List.of("bash", "-c", "command -v " + command), 10, TimeUnit.SECONDS).exit() == 0;
    }

    /** Runs a command to completion (stdout and stderr together, no stdin); fails if it outlives the timeout. */
    static Result run(List<String> command, long timeout, TimeUnit unit) {
        Path out = null;
        Process p = null;
        try {
            out = Files.createTempFile("deploy-tool", ".out");
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(timeout, unit)) throw new IllegalStateException(command + " did not finish within " + timeout + " " + unit);
            return new Result(p.exitValue(), Files.readString(out));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (p != null) p.destroyForcibly();
            if (out != null) out.toFile().delete();
        }
    }
}
