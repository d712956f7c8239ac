package io.shardgate.bench;

import io.shardgate.bench.fleet.FleetAgent;
import io.shardgate.bench.measure.JfrShares;
import io.shardgate.bench.report.Results;
import io.shardgate.bench.scenario.ActivationFigures;
import io.shardgate.bench.scenario.ChurnFigures;
import io.shardgate.bench.scenario.ClusterFigures;
import io.shardgate.bench.scenario.RemoteFleet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmarks' entry point: {@code Bench <scenario> --flag=value ...}. Scenarios: {@code activation} (latency,
 * CPU and bytes per change, cold start, heap; Shardgate against the baseline), {@code churn} (highest change rate
 * held), {@code cluster} (per-node share with several nodes), {@code fleet} (a simulated fleet against remote
 * nodes), {@code jfr-shares} (where a Flight Recording's samples went). bench/README.md has the command of every figure.
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] argv) throws Exception {
        System.setProperty("java.awt.headless", "true");
        if (argv.length == 0) {
            System.err.println("usage: Bench activation|churn|cluster|fleet|jfr-shares [--flag=value ...] (see bench/README.md)");
            System.exit(2);
        }
        if (argv[0].equals("fleet-agent") || argv[0].equals("activation-run")) { // children of a scenario: no results of their own
            Args childArgs = new Args(java.util.Arrays.copyOfRange(argv, 1, argv.length));
            if (argv[0].equals("fleet-agent")) FleetAgent.run(childArgs);
            else ActivationFigures.runChild(childArgs);
            System.exit(0);
        }
        List<String> command = new ArrayList<>(List.of("Bench"));
        command.addAll(List.of(argv));
        Args args = new Args(java.util.Arrays.copyOfRange(argv, 1, argv.length));
        // A run writes under bench/target/ unless told otherwise: the committed figures (bench/results/, docs/img/)
        // change only when someone records a run on purpose with --out=bench/results --img=docs/img.
        Path out = Path.of(args.string("out", "bench/target/results"));
        Path img = Path.of(args.string("img", "bench/target/img"));
        String name = args.string("name", argv[0]);
        Object figures = switch (argv[0]) {
            case "activation" -> ActivationFigures.run(ActivationFigures.Options.from(args), img.resolve(name + ".png"));
            case "churn" -> ChurnFigures.run(ChurnFigures.Options.from(args));
            case "cluster" -> ClusterFigures.run(ClusterFigures.Options.from(args), img.resolve(name + ".png"));
            case "fleet" -> RemoteFleet.run(RemoteFleet.Options.from(args));
            case "jfr-shares" -> JfrShares.run(args);
            default -> throw new IllegalArgumentException("unknown scenario " + argv[0]);
        };
        System.out.println("[bench] results: " + Results.write(out, name, command, figures));
        System.exit(0);
    }
}
