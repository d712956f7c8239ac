package io.shardgate.node.config;

import io.shardgate.cluster.MemberSettings;
import io.shardgate.translator.TranslatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a node is configured with. Parsed (and checked) by {@link NodeConfigParser}; see
 * docs/configuration.md for every flag and its environment variable.
 */
public record NodeConfig(
        SourceKind source,
        Path manifests,
        String kubeconfig,
        List<String> namespaces,
        String listenAddress,
        int adsPort,
        int adminPort,
        int defaultShards,
        List<String> statusAddresses,
        TranslatorConfig translator,
        MemberSettings member,
        Duration drainTimeout,
        Path stateDir,
        org.slf4j.event.Level logLevel,
        io.shardgate.node.logging.LogSettings.Format logFormat,
        Path clusterKeyFile,
        ClientBounds clientBounds,
        io.shardgate.node.admin.AdminAccess adminAccess,
        AdsTls adsTls) {

    public enum SourceKind { FILE, KUBERNETES }

    /** The cluster key's file: --cluster-key-file, or {@code cluster.key} in --state-dir when that is empty. */
    public Path clusterKeyPath() {
        return clusterKeyFile != null ? clusterKeyFile : stateDir.resolve("cluster.key");
    }

    public NodeConfig {
        namespaces = List.copyOf(namespaces);
        statusAddresses = List.copyOf(statusAddresses);
    }
}
