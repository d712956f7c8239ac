package io.shardgate.translator.input;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * networking.k8s.io/v1 Ingress, projected.
 *
 * @param ingressClassName spec.ingressClassName, or the legacy kubernetes.io/ingress.class annotation; null if neither
 * @param annotations      only annotations under nginx.ingress.kubernetes.io/ and shardgate.io/, sorted
 * @param defaultBackend   spec.defaultBackend, or null
 */
public record IngressInput(
        String namespace,
        String name,
        Instant creationTimestamp,
        String ingressClassName,
        Map<String, String> annotations,
        Backend defaultBackend,
        List<Rule> rules,
        List<Tls> tls) implements HostClaim {

    public IngressInput {
        annotations = Map.copyOf(annotations);
        rules = List.copyOf(rules);
        tls = List.copyOf(tls);
    }

    @Override
    public ObjectRef ref() {
        return ObjectRef.of(ObjectRef.Kind.INGRESS, namespace, name);
    }

    /** @param host null means "every host" (a rule without host) */
    public record Rule(String host, List<Path> paths) {
        public Rule {
            paths = List.copyOf(paths);
        }
    }

    /** @param pathType Exact, Prefix or ImplementationSpecific, as written (validated by the translator) */
    public record Path(String path, String pathType, Backend backend) {}

    /**
     * A service backend: exactly one of portNumber / portName is set when valid.
     * resourceKind is non-null when the Ingress used a resource backend (unsupported, rejected by the translator).
     */
    public record Backend(String serviceName, Integer portNumber, String portName, String resourceKind) {
        public static Backend service(String serviceName, int portNumber) {
            return new Backend(serviceName, portNumber, null, null);
        }

        public static Backend service(String serviceName, String portName) {
            return new Backend(serviceName, null, portName, null);
        }
    }

    /** @param hosts empty means the secret applies to every host of the Ingress */
    public record Tls(List<String> hosts, String secretName) {
        public Tls {
            hosts = List.copyOf(hosts);
        }
    }
}
