package io.shardgate.node.differential;

import io.shardgate.node.differential.IncrementalEqualsFromScratchTest.Differential;
import io.shardgate.node.testing.KubeMockExtension;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential check end to end through the node's real sources: each step's objects are written to a
 * watched manifest directory, or to the mock API server and read back by the informers; once the source has
 * delivered the step, every owned shard must equal what a fresh engine builds from what the source serves.
 */
class SourcesServeWhatAFreshEngineBuildsTest {
    @RegisterExtension
    static final KubeMockExtension kube = new KubeMockExtension();

    @TempDir
    Path manifests;

    @Test
    void throughTheFileSource() throws Exception {
        for (long seed : Differential.seeds(List.of(11L))) {
            try (FileSourceUnderTest files = new FileSourceUnderTest(manifests.resolve("seed-" + seed))) {
                java.nio.file.Files.createDirectories(manifests.resolve("seed-" + seed));
                run(seed, Differential.steps(150), files);
            }
        }
    }

    @Test
    void throughTheMockApiServer() throws Exception {
        for (long seed : Differential.seeds(List.of(21L))) {
            try (ApiSourceUnderTest api = new ApiSourceUnderTest(kube.api(), kube.newClient())) {
                run(seed, Differential.steps(120), api);
            }
        }
    }

    /** Sequences with Gateway API objects as well as Ingresses: both sources read every kind. */
    private static void run(long seed, int steps, SourceUnderTest source) throws Exception {
        World world = new World();
        ChangeGenerator generator = new ChangeGenerator(seed, world, true);
        RandomOwnership ownership = new RandomOwnership(0);
        Deque<String> recent = new ArrayDeque<>();
        try (EngineRig incremental = new EngineRig(ownership, world::tlsSecrets)) {
            source.start(incremental.engine);
            for (int step = 1; step <= steps; step++) {
                List<Change> changes = generator.next();
                recent.addLast("step " + step + ": " + changes);
                if (recent.size() > 8) recent.removeFirst();
                source.apply(changes, world);
                for (Change change : changes) {
                    if (change instanceof Change.MoveOwnership move) {
                        ownership.moveTo(move.epoch());
                        incremental.engine.ownershipChanged();
                    }
                }
                incremental.settle();
                String where = "seed " + seed + " through " + source.getClass().getSimpleName() + " (replay: -Ddifferential.seed="
                        + seed + " -Ddifferential.steps=" + step + "), after\n  " + String.join("\n  ", recent) + "\n";
                try (EngineRig fresh = EngineRig.fromScratch(ownership.snapshot(), source.current(world))) {
                    Differential.assertSameServedState(where, incremental, fresh);
                }
            }
        }
    }
}
