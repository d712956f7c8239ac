package io.shardgate.node.certgen;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.shardgate.node.config.ConfigException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** {@code java -jar shardgate-node.jar certgen}: the in-cluster (or $KUBECONFIG) client, CertGen, one line per Secret. */
public final class CertGenCommand {
    private CertGenCommand() {}

    /** @return the process exit code: 0 done, 2 wrong flags, 1 the API server refused or failed */
    public static int run(String[] args, Map<String, String> env) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(CertGenOptions.help());
            return 0;
        }
        CertGenOptions options;
        try {
            options = CertGenOptions.parse(args, env);
        } catch (ConfigException e) {
            System.err.println("shardgate: " + e.getMessage());
            return 2;
        }
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            List<CertGen.Result> results = new CertGen(client, options, Clock.systemUTC()).run();
            results.forEach(r -> System.out.println("certgen: " + r));
            return 0;
        } catch (RuntimeException e) {
            System.err.println("shardgate: certgen failed: " + e.getMessage());
            return 1;
        }
    }
}
