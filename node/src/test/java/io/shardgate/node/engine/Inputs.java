package io.shardgate.node.engine;

import io.shardgate.translator.input.EndpointSliceInput;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.IngressInput;
import io.shardgate.translator.input.ServiceInput;
import io.shardgate.translator.input.TlsSecretInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small builders for input projections, so each engine test reads as its point. */
final class Inputs {
    private Inputs() {}

    static IngressClassInput gateway(String name, Integer shards) {
        return new IngressClassInput(name, IngressClassInput.CONTROLLER, false, shards);
    }

    static ServiceInput service(String ns, String name, int port) {
        return new ServiceInput(ns, name, "ClusterIP", null, List.of(new ServiceInput.Port("http", port, "TCP", null)));
    }

    static EndpointSliceInput slice(String ns, String service, int port, String... ips) {
        return new EndpointSliceInput(ns, service + "-abc", service, "IPv4",
                List.of(new EndpointSliceInput.Port("http", port, "TCP")),
                List.of(new EndpointSliceInput.Endpoint(List.of(ips), true, "zone-a")));
    }

    static TlsSecretInput secret(String ns, String name, TestCertificates.Pem pem) {
        return new TlsSecretInput(ns, name, pem.certificate(), pem.privateKey());
    }

    static IngressBuilder ingress(String ns, String name) {
        return new IngressBuilder(ns, name);
    }

    static final class IngressBuilder {
        private final String ns;
        private final String name;
        private String className = "public";
        private Instant created = Instant.parse("2026-01-01T00:00:00Z");
        private final List<IngressInput.Rule> rules = new ArrayList<>();
        private final List<IngressInput.Tls> tls = new ArrayList<>();

        IngressBuilder(String ns, String name) {
            this.ns = ns;
            this.name = name;
        }

        IngressBuilder className(String className) {
            this.className = className;
            return this;
        }

        IngressBuilder created(Instant created) {
            this.created = created;
            return this;
        }

        IngressBuilder rule(String host, String path, String service, int port) {
            rules.add(new IngressInput.Rule(host, List.of(new IngressInput.Path(path, "Prefix",
                    IngressInput.Backend.service(service, port)))));
            return this;
        }

        IngressBuilder tls(String host, String secret) {
            tls.add(new IngressInput.Tls(List.of(host), secret));
            return this;
        }

        IngressInput build() {
            return new IngressInput(ns, name, created, className, Map.of(), null, rules, tls);
        }
    }
}
