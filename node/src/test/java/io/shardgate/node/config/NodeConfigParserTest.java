package io.shardgate.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardgate.cluster.MemberSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigParserTest {
    @TempDir
    Path manifests;

    private NodeConfig parse(Map<String, String> env, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--manifests=" + manifests;
        System.arraycopy(args, 0, all, 1, args.length);
        return NodeConfigParser.parse(all, env);
    }

    @Test
    void defaultsServeFilesOnOneNode() {
        NodeConfig c = parse(Map.of());
        assertThat(c.source()).isEqualTo(NodeConfig.SourceKind.FILE);
        assertThat(c.adsPort()).isEqualTo(18000);
        assertThat(c.adminPort()).isEqualTo(9090);
        assertThat(c.defaultShards()).isEqualTo(1);
        assertThat(c.member().join()).isEqualTo(MemberSettings.Join.NONE);
        assertThat(c.member().failureTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.translator().httpPort()).isEqualTo(8080);
        assertThat(c.clusterKeyPath()).isEqualTo(Path.of(".shardgate", "cluster.key"));
        assertThat(parse(Map.of("SHARDGATE_STATE_DIR", "/var/lib/sg"), "--cluster-key-file=").clusterKeyPath())
                .isEqualTo(Path.of("/var/lib/sg/cluster.key"));
        assertThat(parse(Map.of(), "--cluster-key-file=/etc/k").clusterKeyPath()).isEqualTo(Path.of("/etc/k"));
    }

    @Test
    void flagsOverrideEnvironmentWhichOverridesDefaults() {
        NodeConfig c = parse(Map.of("SHARDGATE_ADS_PORT", "19000", "SHARDGATE_SHARDS", "8"), "--shards=16",
                "--failure-timeout=3s", "--namespaces=a, b");
        assertThat(c.adsPort()).isEqualTo(19000);
        assertThat(c.defaultShards()).isEqualTo(16);
        assertThat(c.member().failureTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.namespaces()).containsExactly("a", "b");
    }

    @Test
    void badValuesFailFastSayingWhatToFix() {
        assertThatThrownBy(() -> parse(Map.of(), "--ads-port=http"))
                .isInstanceOf(ConfigException.class).hasMessage("--ads-port (env SHARDGATE_ADS_PORT) must be a whole number, was 'http'");
        assertThatThrownBy(() -> parse(Map.of(), "--ads-port=70000")).hasMessageContaining("port number from 0 to 65535");
        assertThatThrownBy(() -> parse(Map.of(), "--shards=0")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> parse(Map.of(), "--source=etcd")).hasMessageContaining("one of [file, kubernetes]");
        assertThatThrownBy(() -> parse(Map.of(), "--join=kubernetes", "--dns-service=sg.ns.svc.cluster.local"))
                .hasMessageContaining("--bind-address").hasMessageContaining("pod's IP");
        assertThatThrownBy(() -> parse(Map.of("SHARDGATE_BIND_ADDRESS", "10.0.0.7"), "--join=kubernetes",
                "--dns-service=sg.ns.svc.cluster.local")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--join=kubernetes needs --cluster-key-file=FILE (env SHARDGATE_CLUSTER_KEY_FILE)");
        assertThat(parse(Map.of("SHARDGATE_BIND_ADDRESS", "10.0.0.7"), "--join=kubernetes",
                "--dns-service=sg.ns.svc.cluster.local", "--cluster-key-file=/etc/shardgate/cluster/cluster.key")
                .member().bindAddress()).isEqualTo("10.0.0.7");
        assertThatThrownBy(() -> parse(Map.of(), "--merge-delay=0s")).hasMessageContaining("merge delay must be at least 1s");
        // Each watched namespace names an input stream of the node's watermark: only real namespace names.
        assertThatThrownBy(() -> parse(Map.of(), "--namespaces=team-a,Team B")).hasMessageContaining("--namespaces")
                .hasMessageContaining("Kubernetes namespace names");
        assertThat(parse(Map.of(), "--namespaces=team-a, team-b").namespaces()).containsExactly("team-a", "team-b");
        assertThat(parse(Map.of("SHARDGATE_MERGE_DELAY", "30s")).member().mergeDelay()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThatThrownBy(() -> parse(Map.of(), "--status-address=shard_{shard}.gw.example.com"))
                .hasMessageContaining("--status-address").hasMessageContaining("shard_0.gw.example.com");
        assertThat(parse(Map.of(), "--status-address=shard-{shard}.{gateway}.gw.example.com,192.0.2.1").statusAddresses())
                .containsExactly("shard-{shard}.{gateway}.gw.example.com", "192.0.2.1");
        assertThatThrownBy(() -> parse(Map.of(), "--failure-timeout=soon")).hasMessageContaining("a duration such as");
        assertThatThrownBy(() -> parse(Map.of(), "--failure-timeout=1s")).hasMessageContaining("at least 2s");
        assertThatThrownBy(() -> parse(Map.of(), "--join=tcp")).hasMessageContaining("needs --members");
        assertThatThrownBy(() -> parse(Map.of(), "--adsport=1")).hasMessageContaining("unknown flag --adsport");
        assertThatThrownBy(() -> parse(Map.of(), "ads-port")).hasMessageContaining("--name=value");
        assertThatThrownBy(() -> parse(Map.of(), "--http-port=80", "--https-port=80")).hasMessageContaining("must differ");
        assertThatThrownBy(() -> parse(Map.of(), "--manifests=" + manifests.resolve("missing")))
                .hasMessageContaining("is not a directory");
    }

    @Test
    void clientBoundsHaveDefaultsAndTakeFlags() {
        ClientBounds defaults = parse(Map.of()).clientBounds();
        assertThat(defaults.maxRequestBytes()).isEqualTo(8L << 20);
        assertThat(defaults.ads()).isEqualTo(io.shardgate.node.ads.ClientLimits.DEFAULTS);
        assertThat(defaults.nackReportInterval()).isEqualTo(Duration.ofMinutes(1));

        ClientBounds set = parse(Map.of("SHARDGATE_ADS_MAX_STREAMS", "50"), "--ads-max-request-bytes=512KiB",
                "--ads-max-names=10", "--ads-max-streams-per-connection=2", "--ads-max-streams-per-peer-connection=20",
                "--ads-stall-timeout=30s", "--ads-nack-log-interval=0s", "--nack-report-interval=5m",
                "--ads-max-pending-request-bytes=16MiB", "--ads-placement-wait=3s").clientBounds();
        assertThat(set.maxRequestBytes()).isEqualTo(512 * 1024);
        assertThat(set.ads()).isEqualTo(new io.shardgate.node.ads.ClientLimits(10, 2, 20, 50, Duration.ofSeconds(30), Duration.ZERO, 16L << 20,
                Duration.ofSeconds(3)));
        assertThat(set.nackReportInterval()).isEqualTo(Duration.ofMinutes(5));

        assertThatThrownBy(() -> parse(Map.of(), "--ads-max-request-bytes=lots")).hasMessage(
                "--ads-max-request-bytes (env SHARDGATE_ADS_MAX_REQUEST_BYTES) must be a size such as 8MiB, 512KiB or 1048576, was 'lots'");
        assertThatThrownBy(() -> parse(Map.of(), "--ads-max-request-bytes=2048MiB")).hasMessageContaining("from 1KiB to 1024MiB");
        assertThatThrownBy(() -> parse(Map.of(), "--ads-max-streams=0")).hasMessageContaining("--ads-max-streams").hasMessageContaining("at least 1");
        assertThatThrownBy(() -> parse(Map.of(), "--ads-stall-timeout=500ms")).hasMessageContaining("--ads-stall-timeout").hasMessageContaining("at least 1s");
    }

    @Test
    void everyFlagIsDocumented() throws Exception {
        Path doc = Path.of(System.getProperty("docs.dir", "../docs"), "configuration.md");
        String text = Files.readString(doc);
        for (NodeConfigParser.Flag flag : NodeConfigParser.Flag.values()) {
            assertThat(text).as("docs/configuration.md documents --%s", flag.name).contains("--" + flag.name)
                    .contains(flag.env());
        }
        assertThat(NodeConfigParser.help()).contains("--ads-port", "SHARDGATE_ADS_PORT");
    }

    @Test
    void keepaliveAndConnectionAgeHaveDefaultsAndZeroTurnsThemOff() {
        ClientBounds defaults = parse(Map.of()).clientBounds();
        assertThat(defaults.keepAlive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(defaults.maxConnectionAge()).isEqualTo(Duration.ofMinutes(30));
        io.shardgate.node.ads.AdsServerOptions options = defaults.applyTo(io.shardgate.node.ads.AdsServerOptions.onPort(0));
        assertThat(options.keepAliveInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.maxConnectionAge()).isEqualTo(Duration.ofMinutes(30));
        assertThat(options.maxRequestBytes()).isEqualTo(8L << 20);

        ClientBounds off = parse(Map.of("SHARDGATE_MAX_CONNECTION_AGE", "0"), "--keepalive=0s").clientBounds();
        assertThat(off.keepAlive()).isNull();
        assertThat(off.maxConnectionAge()).isNull();
        io.shardgate.node.ads.AdsServerOptions none = off.applyTo(io.shardgate.node.ads.AdsServerOptions.onPort(0));
        assertThat(none.keepAliveInterval()).isNull();
        assertThat(none.maxConnectionAge()).isNull();

        assertThatThrownBy(() -> parse(Map.of(), "--keepalive=-5s")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--keepalive").hasMessageContaining("'-5s'");
        assertThatThrownBy(() -> parse(Map.of(), "--keepalive-timeout=0")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--keepalive-timeout");
        assertThatThrownBy(() -> parse(Map.of(), "--max-connection-age=soon")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--max-connection-age").hasMessageContaining("a duration");
    }

    @Test
    void theAdminTokenFileIsReadAtStartAndABadOneStopsIt() throws Exception {
        assertThat(parse(Map.of()).adminAccess().allows("10.1.2.3", null)).isFalse();
        assertThat(parse(Map.of()).adminAccess().allows("127.0.0.1", null)).isTrue();

        Path token = manifests.resolve("admin.token");
        Files.writeString(token, "  0123456789abcdef0123  \n");
        var access = parse(Map.of(), "--admin-token-file=" + token).adminAccess();
        assertThat(access.allows("10.1.2.3", "Bearer 0123456789abcdef0123")).isTrue();
        assertThat(access.allows("10.1.2.3", "Bearer 0123456789abcdef012")).isFalse();

        assertThatThrownBy(() -> parse(Map.of(), "--admin-token-file=" + manifests.resolve("missing")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--admin-token-file").hasMessageContaining("cannot read");
        Files.writeString(token, "short\n");
        assertThatThrownBy(() -> parse(Map.of(), "--admin-token-file=" + token))
                .isInstanceOf(ConfigException.class).hasMessageContaining("at least 16 characters");
    }
}
