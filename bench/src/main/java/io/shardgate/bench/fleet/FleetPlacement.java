package io.shardgate.bench.fleet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the fleet runs beside the server: in its own JVM (the default) or in the server's, and on which CPUs.
 *
 * @param ownProcess the fleet runs in a child JVM ({@code --fleet=process}) rather than in the server's ({@code --fleet=in-process})
 * @param pin {@code auto}: with 4 or more cores, the server takes the first half and the fleet the second (with fewer,
 *     splitting would take cores the server uses, so nothing is pinned); {@code none}; or {@code <server cpus>/<fleet cpus>}
 *     in taskset's list syntax, e.g. {@code 0-3/4-7}
 * @param fleetHeap the fleet JVM's -Xmx
 */
public record FleetPlacement(boolean ownProcess, String pin, String fleetHeap) {
    private static final Path TASKSET = Path.of("/usr/bin/taskset");

    public static FleetPlacement of(String fleet, String pin, String fleetHeap) {
        boolean own = switch (fleet) {
            case "process" -> true;
            case "in-process" -> false;
            default -> throw new IllegalArgumentException("--fleet=" + fleet + ": expected process or in-process");
        };
        if (!pin.equals("auto") && !pin.equals("none") && !pin.matches("[0-9,-]+/[0-9,-]+")) {
            throw new IllegalArgumentException("--pin=" + pin + ": expected auto, none or <server cpus>/<fleet cpus> (e.g. 0-3/4-7)");
        }
        if (!pin.equals("none") && !pin.equals("auto") && !own) {
            throw new IllegalArgumentException("--pin=" + pin + " needs --fleet=process (one process cannot be split)");
        }
        return new FleetPlacement(own, pin, fleetHeap);
    }

    /** From {@code --fleet=}, {@code --pin=} and {@code --fleet-heap=}. */
    public static FleetPlacement from(io.shardgate.bench.Args args) {
        return of(args.string("fleet", "process"), args.string("pin", "auto"), args.string("fleet-heap", "4g"));
    }

    /** The server's and the fleet's CPU lists, when they are pinned apart. */
    public Optional<List<String>> cpus() {
        if (!ownProcess || pin.equals("none") || !Files.isExecutable(TASKSET)) return Optional.empty();
        if (pin.equals("auto")) {
            int cores = Runtime.getRuntime().availableProcessors();
            if (cores < 4) return Optional.empty();
            return Optional.of(List.of("0-" + (cores / 2 - 1), (cores / 2) + "-" + (cores - 1)));
        }
        return Optional.of(List.of(pin.split("/")));
    }

    /** Pins every thread of this JVM (the server's) to {@code cpus}; threads started later inherit it. */
    static void pinThisProcess(String cpus) throws Exception {
        Process p = new ProcessBuilder(TASKSET.toString(), "-a", "-p", "-c", cpus, Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) throw new IllegalStateException("taskset could not pin the server to CPUs " + cpus);
    }

    static List<String> taskset(String cpus) {
        return List.of(TASKSET.toString(), "-c", cpus);
    }
}
