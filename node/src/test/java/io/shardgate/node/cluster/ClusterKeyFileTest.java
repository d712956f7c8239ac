package io.shardgate.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardgate.cluster.ClusterKey;
import io.shardgate.node.config.ConfigException;
import io.shardgate.node.config.NodeConfig;
import io.shardgate.node.config.NodeConfigParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterKeyFileTest {
    @TempDir
    Path dir;

    private NodeConfig config(String... flags) {
        List<String> all = new ArrayList<>(List.of("--manifests=" + dir));
        all.addAll(List.of(flags));
        return NodeConfigParser.parse(all.toArray(String[]::new), Map.of());
    }

    @Test
    void withoutAFileTheNodeCreatesOneInTheStateDirOwnerOnlyAndKeepsIt() throws Exception {
        Path state = dir.resolve("state");
        ClusterKey first = ClusterKeyFile.load(config("--state-dir=" + state));
        Path file = state.resolve("cluster.key");
        assertThat(file).exists();
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        assertThat(ClusterKey.fromText(Files.readString(file))).isEqualTo(first);
        assertThat(ClusterKeyFile.load(config("--state-dir=" + state))).isEqualTo(first);
        assertThat(ClusterKeyFile.load(config("--state-dir=" + dir.resolve("other")))).isNotEqualTo(first);
        try (var listing = Files.list(state)) {
            assertThat(listing).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void nodesStartingAtOnceFromOneDirectoryShareOneKey() throws Exception {
        Path state = dir.resolve("shared");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ClusterKey>> keys = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                keys.add(pool.submit(() -> {
                    go.await();
                    return ClusterKeyFile.load(config("--state-dir=" + state));
                }));
            }
            go.countDown();
            Set<ClusterKey> distinct = new HashSet<>();
            for (Future<ClusterKey> k : keys) distinct.add(k.get(30, TimeUnit.SECONDS));
            assertThat(distinct).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aGivenFileMustExistAndHoldAKeyAndTheMessageNamesTheFlagWithoutEchoingTheFile() throws Exception {
        Path missing = dir.resolve("missing.key");
        assertThatThrownBy(() -> ClusterKeyFile.load(config("--cluster-key-file=" + missing)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("--cluster-key-file=" + missing + " cannot be read");
        assertThat(missing).doesNotExist();

        Path shortKey = Files.writeString(dir.resolve("short.key"), "c2VjcmV0LXNlY3JldA==\n");
        assertThatThrownBy(() -> ClusterKeyFile.load(config("--cluster-key-file=" + shortKey)))
                .hasMessageStartingWith("--cluster-key-file=" + shortKey + " holds no cluster key")
                .hasMessageContaining("at least 32").hasMessageNotContaining("c2VjcmV0");
        Path notBase64 = Files.writeString(dir.resolve("text.key"), "correct horse battery staple, not base64!");
        assertThatThrownBy(() -> ClusterKeyFile.load(config("--cluster-key-file=" + notBase64)))
                .hasMessageContaining("not base64").hasMessageNotContaining("horse");

        ClusterKey key = ClusterKey.random();
        Path good = Files.writeString(dir.resolve("good.key"), "  " + key.toText() + "\n");
        assertThat(ClusterKeyFile.load(config("--cluster-key-file=" + good))).isEqualTo(key);
    }
}
