package io.shardgate.bench.source;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import io.shardgate.translator.input.EndpointSliceInput;
import io.shardgate.translator.input.GatewayLayout;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.IngressInput;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ManifestDecoder;
import io.shardgate.translator.input.ServiceInput;
import io.shardgate.translator.input.TlsSecretInput;
import java.util.Base64;
import java.util.Map;

/** The Kubernetes objects whose projections are the workload's inputs (what a platform would apply). */
public final class KubeObjects {
    private KubeObjects() {}

    public static HasMetadata of(InputObject input) {
        if (input instanceof IngressInput i) return ingress(i);
        if (input instanceof IngressClassInput c) {
            Map<String, String> annotations = new java.util.TreeMap<>();
            if (c.shards() != null) annotations.put(ManifestDecoder.SHARDS_ANNOTATION, c.shards().toString());
            annotations.put(GatewayLayout.ANNOTATION, c.layout().annotationValue());
            return new IngressClassBuilder().withNewMetadata().withName(c.name())
                    .withAnnotations(annotations)
                    .endMetadata().withNewSpec().withController(c.controller()).endSpec().build();
        }
        if (input instanceof ServiceInput s) {
            return new ServiceBuilder().withNewMetadata().withNamespace(s.namespace()).withName(s.name()).endMetadata()
                    .withNewSpec().withType(s.type()).withPorts(s.ports().stream().map(p -> new ServicePortBuilder()
                            .withName(p.name()).withPort(p.port()).withProtocol(p.protocol()).build()).toList()).endSpec().build();
        }
        if (input instanceof EndpointSliceInput e) {
            return new EndpointSliceBuilder().withNewMetadata().withNamespace(e.namespace()).withName(e.name())
                    .withLabels(Map.of(ManifestDecoder.SERVICE_NAME_LABEL, e.serviceName())).endMetadata()
                    .withAddressType(e.addressType())
                    .withPorts(e.ports().stream().map(p -> new EndpointPortBuilder().withName(p.name()).withPort(p.port())
                            .withProtocol(p.protocol()).build()).toList())
                    .withEndpoints(e.endpoints().stream().map(ep -> new EndpointBuilder().withAddresses(ep.addresses())
                            .withNewConditions().withReady(ep.ready()).endConditions().withZone(ep.zone()).build()).toList())
                    .build();
        }
        if (input instanceof TlsSecretInput t) {
            return new SecretBuilder().withNewMetadata().withNamespace(t.namespace()).withName(t.name()).endMetadata()
                    .withType(ManifestDecoder.TLS_SECRET_TYPE)
                    .withData(Map.of("tls.crt", Base64.getEncoder().encodeToString(t.certificatePem().toByteArray()),
                            "tls.key", Base64.getEncoder().encodeToString(t.privateKeyPem().toByteArray())))
                    .build();
        }
        throw new IllegalArgumentException("no Kubernetes object for " + input);
    }

    private static HasMetadata ingress(IngressInput i) {
        IngressBuilder b = new IngressBuilder();
        b.withNewMetadata().withNamespace(i.namespace()).withName(i.name())
                .withCreationTimestamp(i.creationTimestamp().toString()).endMetadata();
        var spec = b.withNewSpec().withIngressClassName(i.ingressClassName());
        for (IngressInput.Rule rule : i.rules()) {
            spec.addToRules(new IngressRuleBuilder().withHost(rule.host()).withNewHttp().withPaths(rule.paths().stream()
                    .map(p -> new HTTPIngressPathBuilder().withPath(p.path()).withPathType(p.pathType())
                            .withNewBackend().withNewService().withName(p.backend().serviceName())
                            .withNewPort().withNumber(p.backend().portNumber()).withName(p.backend().portName()).endPort()
                            .endService().endBackend().build()).toList()).endHttp().build());
        }
        for (IngressInput.Tls tls : i.tls()) spec.addToTls(new IngressTLSBuilder().withHosts(tls.hosts()).withSecretName(tls.secretName()).build());
        return spec.endSpec().build();
    }

}
