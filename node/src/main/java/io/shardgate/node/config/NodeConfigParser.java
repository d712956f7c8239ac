package io.shardgate.node.config;

import io.shardgate.node.logging.LogSettings;
import io.shardgate.node.report.KubernetesStatusWriter;

import io.shardgate.cluster.MemberSettings;
import io.shardgate.node.admin.AdminAccess;
import io.shardgate.node.ads.ClientLimits;
import io.shardgate.node.tls.TlsFiles;
import io.shardgate.translator.TranslatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Parses {@code --name=value} flags, falling back to {@code SHARDGATE_NAME} environment variables, then to
 * defaults. Unknown flags and bad values fail at once with a message naming the flag, the bad value and
 * what is expected.
 */
public final class NodeConfigParser {

    /** Every flag, with its default and help text (the single source for parsing and --help). */
    public enum Flag {
        SOURCE("source", "file", "where Ingresses come from: file (a directory of manifests) or kubernetes"),
        MANIFESTS("manifests", "examples", "directory of Kubernetes YAML manifests, for --source=file"),
        KUBECONFIG("kubeconfig", "", "kubeconfig file for --source=kubernetes (default: in-cluster, then ~/.kube/config)"),
        NAMESPACES("namespaces", "", "comma-separated namespaces to watch (default: all)"),
        LISTEN_ADDRESS("listen-address", "0.0.0.0", "address the ADS and admin servers bind"),
        ADS_PORT("ads-port", "18000", "gRPC port Envoys connect to for ADS"),
        ADMIN_PORT("admin-port", "9090", "HTTP port of /metrics, /healthz, /readyz and /debug"),
        SHARDS("shards", "1", "shards per gateway unless its IngressClass sets the shardgate.io/shards annotation"),
        STATUS_ADDRESS("status-address", "", "comma-separated IPs/hostnames written to Ingress status.loadBalancer; {gateway} and {shard} make one per shard of the Ingress's hosts"),
        HTTP_PORT("http-port", "8080", "port of the Envoy plain-HTTP listener"),
        HTTPS_PORT("https-port", "8443", "port of the Envoy HTTPS listener"),
        CONNECT_TIMEOUT("connect-timeout", "5s", "upstream connect timeout"),
        ROUTE_TIMEOUT("route-timeout", "60s", "default route timeout"),
        CLUSTER_NAME("cluster-name", "shardgate", "Hazelcast cluster name"),
        BIND_ADDRESS("bind-address", "127.0.0.1", "address the Hazelcast member binds and advertises"),
        MEMBER_PORT("member-port", "5701", "Hazelcast member port (the next free one if taken: several nodes on one host)"),
        JOIN("join", "none", "how nodes find each other: none (one node), tcp (--members) or kubernetes (--dns-service)"),
        MEMBERS("members", "", "comma-separated member addresses for --join=tcp"),
        DNS_SERVICE("dns-service", "", "headless Service DNS name for --join=kubernetes"),
        FAILURE_TIMEOUT("failure-timeout", "5s", "a node silent this long is declared dead"),
        MERGE_DELAY("merge-delay", "10s", "after a split brain, how often the parts look for each other to merge"),
        DRAIN_TIMEOUT("drain-timeout", "20s", "on shutdown, how long to wait for this node's shards to move to the others"),
        ADS_MAX_REQUEST_BYTES("ads-max-request-bytes", "8MiB", "largest ADS request accepted (bytes, or with KiB/MiB); a larger one ends its stream with RESOURCE_EXHAUSTED"),
        ADS_MAX_NAMES("ads-max-names", "100000", "resource names one ADS stream may subscribe to per type"),
        ADS_MAX_STREAMS_PER_CONNECTION("ads-max-streams-per-connection", "100", "ADS streams at once on one client connection (an Envoy opens one)"),
        ADS_MAX_STREAMS_PER_PEER_CONNECTION("ads-max-streams-per-peer-connection", "1000", "ADS streams at once on a connection from another node relaying its clients' streams"),
        ADS_MAX_STREAMS("ads-max-streams", "1000", "ADS streams at once on this node (served, relayed out and relayed in)"),
        ADS_PLACEMENT_WAIT("ads-placement-wait", "10s", "a new ADS stream whose shard has no owner right now (moving between nodes, not placed yet) waits this long for one before it is refused with UNAVAILABLE; 0 refuses at once"),
        ADS_STALL_TIMEOUT("ads-stall-timeout", "5m", "an ADS stream whose client neither answers a response nor reads for this long is ended"),
        ADS_NACK_LOG_INTERVAL("ads-nack-log-interval", "10s", "one ADS stream logs at most one NACK per interval (the next line counts those left out)"),
        ADS_MAX_PENDING_REQUEST_BYTES("ads-max-pending-request-bytes", "64MiB", "bytes of ADS requests begun and not yet ended, over all streams; a stream taking the node past it is reset"),
        KEEPALIVE("keepalive", "30s", "HTTP/2 PING interval on every ADS connection, so a vanished client (no FIN) frees its streams; 0 for none"),
        KEEPALIVE_TIMEOUT("keepalive-timeout", "20s", "an ADS connection whose PING is not answered within this is closed"),
        MAX_CONNECTION_AGE("max-connection-age", "30m", "an ADS connection gets GOAWAY after this age (±10%), so Envoys spread over nodes added since they connected; 0 for none"),
        NACK_REPORT_INTERVAL("nack-report-interval", "1m", "a rejected resource of a shard is reported (log, metric, EnvoyRejected Event) at most once per interval"),
        STATE_DIR("state-dir", ".shardgate", "directory for what a node creates for itself on first start (local CA and certificates, cluster key) when none is given"),
        CLUSTER_KEY_FILE("cluster-key-file", "", "file holding the cluster key every node of the cluster shares (base64 of 32 or more random bytes); empty: <state-dir>/cluster.key, created on first start; required with --join=kubernetes"),
        INSECURE_ADS("insecure-ads", "false", "serve ADS in plaintext to any client (local development only: whoever reaches the port gets every gateway's configuration and keys)"),
        TLS_CERT("tls-cert", "", "PEM certificate (chain) ADS is served with and relays present to other nodes; empty (with --tls-key and --tls-ca): certificates made under <state-dir>/tls on first start"),
        TLS_KEY("tls-key", "", "PEM private key of --tls-cert"),
        TLS_CA("tls-ca", "", "PEM CA bundle that Envoys' client certificates and other nodes' certificates must chain to"),
        TRUST_DOMAIN("trust-domain", "cluster.local", "SPIFFE trust domain of the default identities"),
        GATEWAY_NAMESPACE("gateway-namespace", "shardgate", "namespace of the gateways' Envoys in the default identity spiffe://<trust-domain>/ns/<gateway-namespace>/sa/shardgate-gateway-<gateway>"),
        NODE_IDENTITY("node-identity", "", "identity (URI name) every node's certificate carries, which marks a relaying peer; empty: the URI name of this node's own certificate"),
        ADMIN_TOKEN_FILE("admin-token-file", "", "file holding a bearer token that opens /debug/* to non-loopback peers (Authorization: Bearer <token>); empty: /debug answers on loopback only"),
        LOG_LEVEL("log-level", "info", "error, warn, info, debug or trace (Hazelcast's own lines only at warn and above unless debug or trace)"),
        LOG_FORMAT("log-format", "text", "text (one line per entry, UTC timestamps) or json (one JSON object per line)");

        final String name;
        final String defaultValue;
        final String help;

        Flag(String name, String defaultValue, String help) {
            this.name = name;
            this.defaultValue = defaultValue;
            this.help = help;
        }

        public String defaultValue() {
            return defaultValue;
        }

        public String env() {
            return "SHARDGATE_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
        }
    }

    private NodeConfigParser() {}

    public static NodeConfig parse(String[] args, Map<String, String> env) {
        Map<Flag, String> values = new LinkedHashMap<>();
        for (Flag f : Flag.values()) {
            String fromEnv = env.get(f.env());
            values.put(f, fromEnv != null ? fromEnv : f.defaultValue);
        }
        for (String arg : args) {
            if (arg.equals("--" + Flag.INSECURE_ADS.name)) arg = arg + "=true"; // the one switch: no value needed
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new ConfigException("cannot read argument '" + arg + "': flags are written --name=value (see --help)");
            }
            String name = arg.substring(2, arg.indexOf('='));
            Flag flag = Arrays.stream(Flag.values()).filter(f -> f.name.equals(name)).findFirst()
                    .orElseThrow(() -> new ConfigException("unknown flag --" + name + " (see --help for the list)"));
            values.put(flag, arg.substring(arg.indexOf('=') + 1));
        }
        return build(values);
    }

    public static String help() {
        StringBuilder out = new StringBuilder("Usage: java -jar shardgate-node.jar [--flag=value ...]   (or --help, --version)\n\n");
        for (Flag f : Flag.values()) {
            out.append(String.format("  --%-16s %s%n  %-18s env %s, default '%s'%n", f.name, f.help, "", f.env(), f.defaultValue));
        }
        return out.toString();
    }

    private static NodeConfig build(Map<Flag, String> v) {
        NodeConfig.SourceKind source = oneOf(v, Flag.SOURCE, NodeConfig.SourceKind.class);
        Path manifests = Path.of(v.get(Flag.MANIFESTS));
        if (source == NodeConfig.SourceKind.FILE && !Files.isDirectory(manifests)) {
            throw new ConfigException("--manifests=" + manifests + " is not a directory (absolute: "
                    + manifests.toAbsolutePath() + "); run from the repository root or pass --manifests=DIR");
        }
        int httpPort = port(v, Flag.HTTP_PORT);
        int httpsPort = port(v, Flag.HTTPS_PORT);
        if (httpPort == httpsPort) throw new ConfigException("--http-port and --https-port must differ, both are " + httpPort);
        TranslatorConfig translator = new TranslatorConfig(httpPort, httpsPort, duration(v, Flag.CONNECT_TIMEOUT),
                duration(v, Flag.ROUTE_TIMEOUT), Clock.systemUTC());
        MemberSettings.Join join = oneOf(v, Flag.JOIN, MemberSettings.Join.class);
        List<String> members = list(v, Flag.MEMBERS);
        if (join == MemberSettings.Join.TCP && members.isEmpty()) {
            throw new ConfigException("--join=tcp needs --members=host[:port],... (the addresses of the other nodes)");
        }
        String bind = v.get(Flag.BIND_ADDRESS);
        if (join == MemberSettings.Join.KUBERNETES && (bind.startsWith("127.") || bind.equals("localhost") || bind.equals("::1"))) {
            throw new ConfigException("--join=kubernetes needs --bind-address set to this pod's IP (e.g. SHARDGATE_BIND_ADDRESS"
                    + " from the downward API, status.podIP); with " + bind + " the other nodes cannot reach this one");
        }
        String keyFile = v.get(Flag.CLUSTER_KEY_FILE).trim();
        if (join == MemberSettings.Join.KUBERNETES && keyFile.isEmpty()) {
            throw new ConfigException("--join=kubernetes needs --cluster-key-file=FILE (env " + Flag.CLUSTER_KEY_FILE.env()
                    + "): the cluster key every node shares, for example a Kubernetes Secret mounted as a file"
                    + " (create one with: openssl rand -base64 32)");
        }
        MemberSettings member;
        try {
            member = new MemberSettings(v.get(Flag.CLUSTER_NAME), v.get(Flag.BIND_ADDRESS), port(v, Flag.MEMBER_PORT), join,
                    members, v.get(Flag.DNS_SERVICE), duration(v, Flag.FAILURE_TIMEOUT), duration(v, Flag.MERGE_DELAY));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("cluster settings: " + e.getMessage());
        }
        List<String> statusAddresses = list(v, Flag.STATUS_ADDRESS);
        try {
            if (!statusAddresses.isEmpty()) KubernetesStatusWriter.validate(statusAddresses);
        } catch (IllegalArgumentException e) {
            throw invalid(Flag.STATUS_ADDRESS, v.get(Flag.STATUS_ADDRESS), "IPs or DNS names (" + e.getMessage() + ")");
        }
        List<String> namespaces = list(v, Flag.NAMESPACES);
        for (String namespace : namespaces) {
            if (!namespace.matches(NAMESPACE_NAME)) throw invalid(Flag.NAMESPACES, v.get(Flag.NAMESPACES), "Kubernetes namespace names");
        }
        return new NodeConfig(source, manifests, v.get(Flag.KUBECONFIG), namespaces, v.get(Flag.LISTEN_ADDRESS),
                port(v, Flag.ADS_PORT), port(v, Flag.ADMIN_PORT), positive(v, Flag.SHARDS), statusAddresses,
                translator, member, duration(v, Flag.DRAIN_TIMEOUT), Path.of(v.get(Flag.STATE_DIR)), logLevel(v),
                oneOf(v, Flag.LOG_FORMAT, LogSettings.Format.class), keyFile.isEmpty() ? null : Path.of(keyFile),
                clientBounds(v), adminAccess(v), adsTls(v));
    }

    /** mTLS unless --insecure-ads; the three files are given together or not at all (then made locally). */
    private static AdsTls adsTls(Map<Flag, String> v) {
        boolean insecure = bool(v, Flag.INSECURE_ADS);
        List<Flag> files = List.of(Flag.TLS_CERT, Flag.TLS_KEY, Flag.TLS_CA);
        long given = files.stream().filter(f -> !v.get(f).isBlank()).count();
        if (insecure && given > 0) {
            throw new ConfigException("--insecure-ads serves plaintext: drop it, or drop --tls-cert, --tls-key and --tls-ca");
        }
        if (given != 0 && given != files.size()) {
            throw new ConfigException("--tls-cert, --tls-key and --tls-ca go together (given: " + files.stream()
                    .filter(f -> !v.get(f).isBlank()).map(f -> "--" + f.name).toList() + "); give all three, or none to"
                    + " have the node make local certificates under --state-dir");
        }
        TlsFiles tls = null;
        if (given == files.size()) {
            for (Flag f : files) {
                if (!Files.isReadable(Path.of(v.get(f).trim()))) {
                    throw new ConfigException("--" + f.name + " (env " + f.env() + "): cannot read '" + v.get(f).trim() + "'");
                }
            }
            tls = new TlsFiles(Path.of(v.get(Flag.TLS_CERT).trim()), Path.of(v.get(Flag.TLS_KEY).trim()),
                    Path.of(v.get(Flag.TLS_CA).trim()));
        }
        String trustDomain = v.get(Flag.TRUST_DOMAIN).trim();
        String gatewayNamespace = v.get(Flag.GATEWAY_NAMESPACE).trim();
        if (!trustDomain.matches("[a-z0-9.-]+")) throw invalid(Flag.TRUST_DOMAIN, trustDomain, "a trust domain such as cluster.local");
        if (!gatewayNamespace.matches(NAMESPACE_NAME)) {
            throw invalid(Flag.GATEWAY_NAMESPACE, gatewayNamespace, "a Kubernetes namespace name");
        }
        String nodeIdentity = v.get(Flag.NODE_IDENTITY).trim();
        return new AdsTls(insecure, tls, trustDomain, gatewayNamespace, nodeIdentity.isEmpty() ? null : nodeIdentity);
    }

    private static boolean bool(Map<Flag, String> v, Flag flag) {
        String raw = v.get(flag).trim().toLowerCase(Locale.ROOT);
        if (raw.equals("true")) return true;
        if (raw.equals("false")) return false;
        throw invalid(flag, v.get(flag), "true or false");
    }

    /** /debug on loopback, and to the token of --admin-token-file when one is given (read once, at start). */
    private static AdminAccess adminAccess(Map<Flag, String> v) {
        String file = v.get(Flag.ADMIN_TOKEN_FILE).trim();
        if (file.isEmpty()) return AdminAccess.loopbackOr(null);
        String token;
        try {
            token = Files.readString(Path.of(file)).trim();
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("--" + Flag.ADMIN_TOKEN_FILE.name + " (env " + Flag.ADMIN_TOKEN_FILE.env()
                    + "): cannot read '" + file + "': " + e.getMessage());
        }
        if (token.length() < 16) {
            throw new ConfigException("--" + Flag.ADMIN_TOKEN_FILE.name + " (env " + Flag.ADMIN_TOKEN_FILE.env() + "): '"
                    + file + "' must hold a token of at least 16 characters (e.g. openssl rand -hex 32)");
        }
        return AdminAccess.loopbackOr(token);
    }

    private static ClientBounds clientBounds(Map<Flag, String> v) {
        Duration stall = duration(v, Flag.ADS_STALL_TIMEOUT);
        if (stall.compareTo(Duration.ofSeconds(1)) < 0) throw invalid(Flag.ADS_STALL_TIMEOUT, v.get(Flag.ADS_STALL_TIMEOUT), "at least 1s");
        ClientLimits ads = new ClientLimits(positive(v, Flag.ADS_MAX_NAMES), positive(v, Flag.ADS_MAX_STREAMS_PER_CONNECTION),
                positive(v, Flag.ADS_MAX_STREAMS_PER_PEER_CONNECTION), positive(v, Flag.ADS_MAX_STREAMS), stall,
                duration(v, Flag.ADS_NACK_LOG_INTERVAL), bytes(v, Flag.ADS_MAX_PENDING_REQUEST_BYTES),
                duration(v, Flag.ADS_PLACEMENT_WAIT));
        Duration keepAliveTimeout = duration(v, Flag.KEEPALIVE_TIMEOUT);
        if (keepAliveTimeout.isZero()) throw invalid(Flag.KEEPALIVE_TIMEOUT, v.get(Flag.KEEPALIVE_TIMEOUT), "a duration above 0");
        return new ClientBounds(bytes(v, Flag.ADS_MAX_REQUEST_BYTES), ads, duration(v, Flag.NACK_REPORT_INTERVAL),
                durationOrNone(v, Flag.KEEPALIVE), keepAliveTimeout, durationOrNone(v, Flag.MAX_CONNECTION_AGE));
    }

    /** A duration, or null for 0 (off). */
    private static Duration durationOrNone(Map<Flag, String> v, Flag flag) {
        if (v.get(flag).trim().equals("0")) return null;
        Duration d = duration(v, flag);
        return d.isZero() ? null : d;
    }

    /** A size in bytes: a whole number, or with a KiB or MiB suffix; at least 1 KiB, at most 1 GiB. */
    private static long bytes(Map<Flag, String> v, Flag flag) {
        String raw = v.get(flag).trim();
        long unit = 1;
        if (raw.endsWith("MiB")) unit = 1L << 20;
        else if (raw.endsWith("KiB")) unit = 1L << 10;
        String digits = unit == 1 ? raw : raw.substring(0, raw.length() - 3).trim();
        long n;
        try {
            n = Long.parseLong(digits) * unit;
        } catch (NumberFormatException e) {
            throw invalid(flag, v.get(flag), "a size such as 8MiB, 512KiB or 1048576");
        }
        if (n < 1024 || n > (1L << 30)) throw invalid(flag, v.get(flag), "a size from 1KiB to 1024MiB");
        return n;
    }

    private static <E extends Enum<E>> E oneOf(Map<Flag, String> v, Flag flag, Class<E> type) {
        String raw = v.get(flag);
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(raw)) return e;
        }
        throw invalid(flag, raw, "one of " + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
    }

    private static org.slf4j.event.Level logLevel(Map<Flag, String> v) {
        org.slf4j.event.Level level = LogSettings.parseLevel(v.get(Flag.LOG_LEVEL));
        if (level == null) throw invalid(Flag.LOG_LEVEL, v.get(Flag.LOG_LEVEL), "one of error, warn, info, debug, trace");
        return level;
    }

    private static int port(Map<Flag, String> v, Flag flag) {
        int p = number(v, flag, Integer::parseInt);
        if (p < 0 || p > 65535) throw invalid(flag, v.get(flag), "a port number from 0 to 65535");
        return p;
    }

    private static int positive(Map<Flag, String> v, Flag flag) {
        int n = number(v, flag, Integer::parseInt);
        if (n < 1) throw invalid(flag, v.get(flag), "a whole number of at least 1");
        return n;
    }

    private static <T> T number(Map<Flag, String> v, Flag flag, Function<String, T> parse) {
        try {
            return parse.apply(v.get(flag).trim());
        } catch (NumberFormatException e) {
            throw invalid(flag, v.get(flag), "a whole number");
        }
    }

    /** Durations as 500ms, 5s, 2m or ISO-8601 (PT5S); never negative. */
    private static Duration duration(Map<Flag, String> v, Flag flag) {
        String raw = v.get(flag).trim().toLowerCase(Locale.ROOT);
        if (raw.startsWith("-")) throw invalid(flag, v.get(flag), "a duration of 0 or more, such as 500ms, 5s or 2m");
        try {
            if (raw.endsWith("ms")) return Duration.ofMillis(Long.parseLong(raw.substring(0, raw.length() - 2)));
            if (raw.endsWith("s")) return Duration.ofSeconds(Long.parseLong(raw.substring(0, raw.length() - 1)));
            if (raw.endsWith("m")) return Duration.ofMinutes(Long.parseLong(raw.substring(0, raw.length() - 1)));
            return Duration.parse(raw.toUpperCase(Locale.ROOT));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw invalid(flag, v.get(flag), "a duration such as 500ms, 5s or 2m");
        }
    }

    /** A Kubernetes namespace name (an RFC 1123 label). */
    private static final String NAMESPACE_NAME = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

    private static List<String> list(Map<Flag, String> v, Flag flag) {
        return Arrays.stream(v.get(flag).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static ConfigException invalid(Flag flag, String value, String expected) {
        return new ConfigException("--" + flag.name + " (env " + flag.env() + ") must be " + expected + ", was '" + value + "'");
    }
}
