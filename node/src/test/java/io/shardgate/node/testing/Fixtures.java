package io.shardgate.node.testing;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Small builders of fabric8 model objects, so a test states only what it is about:
 * {@code Fixtures.ingress("shop", "web").host("a.example.com").path("/", "web", 80).tls("a.example.com", "web-tls").build()}.
 */
public final class Fixtures {
    public static final String CONTROLLER = "shardgate.io/controller";

    private Fixtures() {}

    public static IngressFixture ingress(String namespace, String name) {
        return new IngressFixture(namespace, name);
    }

    public static ServiceFixture service(String namespace, String name) {
        return new ServiceFixture(namespace, name);
    }

    public static EndpointSliceFixture endpointSlice(String namespace, String name, String serviceName) {
        return new EndpointSliceFixture(namespace, name, serviceName);
    }

    public static Secret tlsSecret(String namespace, String name, String certPem, String keyPem) {
        return new SecretBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withType("kubernetes.io/tls")
                .withData(Map.of("tls.crt", base64(certPem), "tls.key", base64(keyPem)))
                .build();
    }

    public static Secret opaqueSecret(String namespace, String name) {
        return new SecretBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withType("Opaque")
                .withData(Map.of("password", base64("hunter2")))
                .build();
    }

    /** An IngressClass of Shardgate's controller. */
    public static IngressClass ingressClass(String name, boolean isDefault) {
        return new IngressClassBuilder()
                .withNewMetadata().withName(name)
                    .withAnnotations(isDefault ? Map.of("ingressclass.kubernetes.io/is-default-class", "true") : Map.of())
                .endMetadata()
                .withNewSpec().withController(CONTROLLER).endSpec()
                .build();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Rules are added by {@link #host}; {@link #path} adds a Prefix path to the last rule. */
    public static final class IngressFixture {
        private final IngressBuilder builder;
        private IngressRuleBuilder rule;

        private IngressFixture(String namespace, String name) {
            builder = new IngressBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata().withNewSpec().endSpec();
        }

        public IngressFixture className(String className) {
            builder.editSpec().withIngressClassName(className).endSpec();
            return this;
        }

        public IngressFixture annotation(String key, String value) {
            builder.editMetadata().addToAnnotations(key, value).endMetadata();
            return this;
        }

        public IngressFixture host(String host) {
            addRule();
            rule = new IngressRuleBuilder().withHost(host).withNewHttp().endHttp();
            return this;
        }

        public IngressFixture path(String path, String serviceName, int port) {
            if (rule == null) rule = new IngressRuleBuilder().withNewHttp().endHttp();
            rule.editHttp().addToPaths(new HTTPIngressPathBuilder()
                    .withPath(path).withPathType("Prefix")
                    .withNewBackend().withNewService().withName(serviceName).withNewPort().withNumber(port).endPort().endService().endBackend()
                    .build()).endHttp();
            return this;
        }

        public IngressFixture tls(String host, String secretName) {
            builder.editSpec().addToTls(new IngressTLSBuilder().addToHosts(host).withSecretName(secretName).build()).endSpec();
            return this;
        }

        public Ingress build() {
            addRule();
            return builder.build();
        }

        private void addRule() {
            if (rule != null) builder.editSpec().addToRules(rule.build()).endSpec();
            rule = null;
        }
    }

    public static final class ServiceFixture {
        private final ServiceBuilder builder;

        private ServiceFixture(String namespace, String name) {
            builder = new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                    .withNewSpec().withType("ClusterIP").endSpec();
        }

        public ServiceFixture port(String name, int port) {
            builder.editSpec().addToPorts(new ServicePortBuilder().withName(name).withPort(port).withProtocol("TCP").build()).endSpec();
            return this;
        }

        public Service build() {
            return builder.build();
        }
    }

    public static final class EndpointSliceFixture {
        private final EndpointSliceBuilder builder;

        private EndpointSliceFixture(String namespace, String name, String serviceName) {
            builder = new EndpointSliceBuilder()
                    .withNewMetadata().withNamespace(namespace).withName(name)
                        .addToLabels("kubernetes.io/service-name", serviceName)
                    .endMetadata()
                    .withAddressType("IPv4");
        }

        public EndpointSliceFixture port(String name, int port) {
            builder.addToPorts(new EndpointPortBuilder().withName(name).withPort(port).withProtocol("TCP").build());
            return this;
        }

        public EndpointSliceFixture endpoint(String address, boolean ready) {
            builder.addToEndpoints(new EndpointBuilder().addToAddresses(address).withNewConditions().withReady(ready).endConditions().build());
            return this;
        }

        public EndpointSlice build() {
            return builder.build();
        }
    }
}
