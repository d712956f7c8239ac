package io.shardgate.node.cluster;

import io.shardgate.cluster.ClusterKey;
import io.shardgate.node.config.ConfigException;
import io.shardgate.node.config.NodeConfig;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a node's {@link ClusterKey} comes from: the file --cluster-key-file names (a Kubernetes Secret mounted as
 * a file), or, when that flag is empty, {@code cluster.key} in --state-dir, created with a random key on first
 * start. Nodes started from the same directory (the README's local cluster) then share it.
 */
public final class ClusterKeyFile {
    private static final Logger log = LoggerFactory.getLogger(ClusterKeyFile.class);

    private ClusterKeyFile() {}

    /** @throws ConfigException naming the flag, when the file cannot be read or holds no key */
    public static ClusterKey load(NodeConfig config) {
        Path file = config.clusterKeyPath();
        String flag = config.clusterKeyFile() != null ? "--cluster-key-file=" + file
                : "the cluster key " + file + " (--state-dir=" + config.stateDir() + "; or set --cluster-key-file)";
        try {
            if (config.clusterKeyFile() == null && !Files.exists(file) && create(file)) {
                log.info("created a new cluster key in {}: nodes started with the same --state-dir share it; every node of"
                        + " a cluster needs the same key (--cluster-key-file)", file.toAbsolutePath());
            }
            ClusterKey key = ClusterKey.fromText(Files.readString(file));
            log.info("cluster key read from {}", file.toAbsolutePath());
            return key;
        } catch (IOException e) {
            throw new ConfigException(flag + " cannot be read: " + e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(flag + " holds no cluster key: " + e.getMessage());
        }
    }

    /**
     * Writes a new random key readable by its owner only, atomically: several nodes starting at once from one
     * directory all end up reading the one key that was linked into place first.
     *
     * @return false when another process created it meanwhile
     */
    private static boolean create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".cluster-key", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the directory's ACL applies
            }
            Files.writeString(tmp, ClusterKey.random().toText());
            Files.createLink(file, tmp);
            return true;
        } catch (FileAlreadyExistsException raced) {
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
