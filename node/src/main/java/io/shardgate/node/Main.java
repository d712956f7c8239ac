package io.shardgate.node;

import io.shardgate.cluster.DeserialisationLimits;
import io.shardgate.node.certgen.CertGenCommand;
import io.shardgate.node.config.ConfigException;
import io.shardgate.node.config.NodeConfig;
import io.shardgate.node.config.NodeConfigParser;
import io.shardgate.node.logging.LogSettings;
import java.util.Arrays;

/**
 * {@code java -jar shardgate-node.jar [--flag=value ...]}: see docs/configuration.md; {@code ... certgen [--flag=value ...]}
 * issues the mTLS Secrets where cert-manager is not installed (docs/security.md).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        DeserialisationLimits.installJvmWide();
        if (args.length > 0 && args[0].equals("certgen")) {
            System.exit(CertGenCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv()));
            return;
        }
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(NodeConfigParser.help());
            return;
        }
        if (Arrays.asList(args).contains("--version")) {
            System.out.println("shardgate " + BuildInfo.version() + " (Java " + BuildInfo.javaVersion() + ")");
            return;
        }
        NodeConfig config;
        try {
            config = NodeConfigParser.parse(args, System.getenv());
        } catch (ConfigException e) {
            System.err.println("shardgate: " + e.getMessage());
            System.exit(2);
            return;
        }
        LogSettings.configure(config.logLevel(), config.logFormat());
        try {
            Node node = Node.start(config);
            Runtime.getRuntime().addShutdownHook(new Thread(node::close, "shardgate-shutdown"));
        } catch (ConfigException e) {
            System.err.println("shardgate: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("shardgate: cannot start: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }
}
