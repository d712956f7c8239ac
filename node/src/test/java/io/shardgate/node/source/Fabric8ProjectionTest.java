package io.shardgate.node.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.shardgate.translator.input.EndpointSliceInput;
import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayLayout;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.IngressInput;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.LabelSelector;
import io.shardgate.translator.input.ManifestDecoder;
import io.shardgate.translator.input.NamespaceInput;
import io.shardgate.translator.input.ReferenceGrantInput;
import io.shardgate.translator.input.ServiceInput;
import io.shardgate.translator.input.TlsSecretInput;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Kubernetes source (fabric8 objects) and the file source (YAML maps) must project the same manifest
 * to the same record: each case decodes one YAML both ways, and pins the result where a silent agreement
 * on a wrong value would otherwise pass.
 */
class Fabric8ProjectionTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @Test
    void ingressWithEveryFeature() {
        String yaml = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  namespace: shop
                  name: web
                  creationTimestamp: "2024-03-01T10:00:00Z"
                  annotations:
                    kubernetes.io/ingress.class: legacy
                    nginx.ingress.kubernetes.io/ssl-redirect: "false"
                    shardgate.io/note: kept
                    example.com/other: dropped
                spec:
                  defaultBackend:
                    service: {name: fallback, port: {number: 8080}}
                  tls:
                  - hosts: [a.example.com, "*.b.example.com"]
                    secretName: web-tls
                  - secretName: every-host
                  rules:
                  - host: a.example.com
                    http:
                      paths:
                      - path: /
                        pathType: Prefix
                        backend: {service: {name: web, port: {number: 80}}}
                      - path: /api
                        pathType: Exact
                        backend: {service: {name: api, port: {name: http}}}
                      - path: /bucket
                        pathType: ImplementationSpecific
                        backend: {resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: b}}
                  - http:
                      paths:
                      - backend: {service: {name: any, port: {number: 81}}}
                  - host: "*.b.example.com"
                """;
        IngressInput projected = bothWays(yaml, Ingress.class, Fabric8Projection::ingress);

        assertThat(projected.ingressClassName()).isEqualTo("legacy");
        assertThat(projected.creationTimestamp()).isEqualTo(Instant.parse("2024-03-01T10:00:00Z"));
        assertThat(projected.annotations()).isEqualTo(Map.of(
                "nginx.ingress.kubernetes.io/ssl-redirect", "false", "shardgate.io/note", "kept"));
        assertThat(projected.defaultBackend()).isEqualTo(IngressInput.Backend.service("fallback", 8080));
        assertThat(projected.rules()).hasSize(3);
        assertThat(projected.rules().get(0).paths()).extracting(IngressInput.Path::backend).containsExactly(
                IngressInput.Backend.service("web", 80),
                IngressInput.Backend.service("api", "http"),
                new IngressInput.Backend(null, null, null, "StorageBucket"));
        assertThat(projected.rules().get(1).host()).isNull();
        assertThat(projected.rules().get(1).paths().get(0).path()).isNull();
        assertThat(projected.rules().get(2).paths()).isEmpty();
        assertThat(projected.tls()).containsExactly(
                new IngressInput.Tls(List.of("a.example.com", "*.b.example.com"), "web-tls"),
                new IngressInput.Tls(List.of(), "every-host"));
    }

    @Test
    void ingressClassNameWinsOverTheLegacyAnnotationAndDefaultsApply() {
        String yaml = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: bare
                  annotations: {kubernetes.io/ingress.class: legacy}
                spec:
                  ingressClassName: shardgate
                """;
        IngressInput projected = bothWays(yaml, Ingress.class, Fabric8Projection::ingress);

        assertThat(projected.namespace()).isEqualTo("default");
        assertThat(projected.ingressClassName()).isEqualTo("shardgate");
        assertThat(projected.creationTimestamp()).isEqualTo(Instant.EPOCH);
        assertThat(projected.defaultBackend()).isNull();
        assertThat(projected.rules()).isEmpty();
    }

    @Test
    void ingressClass() {
        String yaml = """
                apiVersion: networking.k8s.io/v1
                kind: IngressClass
                metadata:
                  name: shardgate
                  annotations:
                    ingressclass.kubernetes.io/is-default-class: "true"
                    shardgate.io/shards: " 16 "
                spec:
                  controller: shardgate.io/controller
                """;
        assertThat(bothWays(yaml, IngressClass.class, Fabric8Projection::ingressClass))
                .isEqualTo(new IngressClassInput("shardgate", "shardgate.io/controller", true, 16));
    }

    @Test
    void ingressClassOfAnotherController() {
        String yaml = """
                apiVersion: networking.k8s.io/v1
                kind: IngressClass
                metadata: {name: nginx}
                spec: {controller: k8s.io/ingress-nginx}
                """;
        assertThat(bothWays(yaml, IngressClass.class, Fabric8Projection::ingressClass))
                .isEqualTo(new IngressClassInput("nginx", "k8s.io/ingress-nginx", false, null));
    }

    @ParameterizedTest
    @CsvSource({
            "shardgate.io/shards, 0, expected a positive integer",
            "shardgate.io/layout, sharded, 'expected one of classic, scoped'"})
    void aBadClassAnnotationIsRejectedByBothNamingItAndTheValue(String annotation, String value, String expected) {
        String yaml = """
                apiVersion: networking.k8s.io/v1
                kind: IngressClass
                metadata:
                  name: shardgate
                  annotations: {%s: "%s"}
                spec: {controller: shardgate.io/controller}
                """.formatted(annotation, value);
        assertThatThrownBy(() -> ManifestDecoder.decode(map(yaml))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(annotation);
        assertThatThrownBy(() -> Fabric8Projection.ingressClass(fabric8(yaml, IngressClass.class)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(annotation).hasMessageContaining(expected).hasMessageContaining("\"" + value + "\"");
    }

    @Test
    void malformedIngressesAreRejectedByBoth() {
        String emptyTlsHost = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {namespace: shop, name: web}
                spec:
                  tls: [{hosts: [""], secretName: web-tls}]
                """;
        String backendWithoutServiceName = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {namespace: shop, name: web}
                spec:
                  defaultBackend: {service: {port: {number: 80}}}
                """;
        String portWithNumberAndName = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {namespace: shop, name: web}
                spec:
                  defaultBackend: {service: {name: web, port: {number: 80, name: http}}}
                """;
        for (String yaml : List.of(emptyTlsHost, backendWithoutServiceName, portWithNumberAndName)) {
            assertThatThrownBy(() -> ManifestDecoder.decode(map(yaml))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Fabric8Projection.ingress(fabric8(yaml, Ingress.class)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Ingress shop/web");
        }
    }

    @Test
    void tlsSecretFromData() {
        String yaml = """
                apiVersion: v1
                kind: Secret
                metadata: {namespace: shop, name: web-tls}
                type: kubernetes.io/tls
                data:
                  tls.crt: Q0VSVA==
                  tls.key: S0VZ
                """;
        assertThat(tlsSecretBothWays(yaml))
                .isEqualTo(new TlsSecretInput("shop", "web-tls", ByteString.copyFromUtf8("CERT"), ByteString.copyFromUtf8("KEY")));
    }

    @Test
    void tlsSecretStringDataWinsAndMissingKeysAreEmpty() {
        String yaml = """
                apiVersion: v1
                kind: Secret
                metadata: {namespace: shop, name: web-tls}
                type: kubernetes.io/tls
                data: {tls.crt: Q0VSVA==}
                stringData: {tls.crt: PLAIN}
                """;
        assertThat(tlsSecretBothWays(yaml))
                .isEqualTo(new TlsSecretInput("shop", "web-tls", ByteString.copyFromUtf8("PLAIN"), ByteString.EMPTY));
    }

    @Test
    void secretsOfOtherTypesAreNotRead() {
        String yaml = """
                apiVersion: v1
                kind: Secret
                metadata: {namespace: shop, name: db}
                type: Opaque
                data: {password: aHVudGVyMg==}
                """;
        assertThat(ManifestDecoder.decode(map(yaml))).isEmpty();
        Secret secret = fabric8(yaml, Secret.class);
        assertThat(Fabric8Projection.isTlsSecret(secret)).isFalse();
        assertThat(Fabric8Projection.tlsSecret(secret)).isEmpty();
    }

    @Test
    void service() {
        String yaml = """
                apiVersion: v1
                kind: Service
                metadata: {namespace: shop, name: web}
                spec:
                  ports:
                  - {name: http, port: 80, targetPort: 8080}
                  - {name: grpc, port: 9090, protocol: TCP, appProtocol: kubernetes.io/h2c}
                  - {port: 53, protocol: UDP}
                """;
        assertThat(bothWays(yaml, Service.class, Fabric8Projection::service)).isEqualTo(new ServiceInput("shop", "web", "ClusterIP", null, List.of(
                new ServiceInput.Port("http", 80, "TCP", null),
                new ServiceInput.Port("grpc", 9090, "TCP", "kubernetes.io/h2c"),
                new ServiceInput.Port(null, 53, "UDP", null))));
    }

    @Test
    void externalNameService() {
        String yaml = """
                apiVersion: v1
                kind: Service
                metadata: {namespace: shop, name: upstream}
                spec: {type: ExternalName, externalName: upstream.example.net}
                """;
        assertThat(bothWays(yaml, Service.class, Fabric8Projection::service))
                .isEqualTo(new ServiceInput("shop", "upstream", "ExternalName", "upstream.example.net", List.of()));
    }

    @Test
    void endpointSlice() {
        String yaml = """
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  namespace: shop
                  name: web-abc12
                  labels: {kubernetes.io/service-name: web}
                addressType: IPv4
                ports:
                - {name: http, port: 8080, protocol: TCP}
                - {name: all}
                endpoints:
                - addresses: [10.0.0.1]
                  conditions: {ready: true}
                  zone: zone-a
                - addresses: [10.0.0.2, 10.0.0.3]
                  conditions: {ready: false}
                - addresses: [10.0.0.4]
                """;
        assertThat(bothWays(yaml, EndpointSlice.class, Fabric8Projection::endpointSlice)).isEqualTo(new EndpointSliceInput(
                "shop", "web-abc12", "web", "IPv4",
                List.of(new EndpointSliceInput.Port("http", 8080, "TCP"), new EndpointSliceInput.Port("all", 0, "TCP")),
                List.of(new EndpointSliceInput.Endpoint(List.of("10.0.0.1"), true, "zone-a"),
                        new EndpointSliceInput.Endpoint(List.of("10.0.0.2", "10.0.0.3"), false, null),
                        new EndpointSliceInput.Endpoint(List.of("10.0.0.4"), true, null))));
    }

    @Test
    void gatewayClassReadsTheClassAnnotationsAsAnIngressClassDoes() {
        String yaml = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: GatewayClass
                metadata:
                  name: shardgate
                  annotations:
                    shardgate.io/shards: "4"
                    shardgate.io/client-identities: "spiffe://cluster.local/ns/edge/sa/envoy, edge.example.com"
                    shardgate.io/layout: " Scoped "
                spec: {controllerName: shardgate.io/controller}
                """;
        assertThat(bothWays(yaml, GatewayClass.class, Fabric8Projection::gatewayClass)).isEqualTo(new GatewayClassInput(
                "shardgate", 0, "shardgate.io/controller", 4, List.of("spiffe://cluster.local/ns/edge/sa/envoy", "edge.example.com"),
                GatewayLayout.SCOPED));
    }

    @Test
    void gatewayWithListeners() {
        String yaml = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {namespace: infra, name: public}
                spec:
                  gatewayClassName: shardgate
                  addresses: [{type: Hostname, value: edge.example.com}]
                  tls:
                    frontend:
                      default: {validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: ca}]}}
                      perPort: [{port: 8443, tls: {validation: {mode: AllowInsecureFallback}}}, {port: 9443, tls: {}}]
                  listeners:
                  - {name: http, port: 80, protocol: HTTP, hostname: "*.example.com", allowedRoutes: {namespaces: {from: All}}}
                  - {name: https, port: 443, protocol: HTTPS}
                  - {name: kinds, port: 8080, protocol: HTTP, allowedRoutes: {kinds: [{kind: HTTPRoute}, {group: example.com, kind: Custom}]}}
                  - name: teams
                    port: 80
                    protocol: HTTP
                    allowedRoutes:
                      namespaces:
                        from: Selector
                        selector:
                          matchLabels: {team: payments}
                          matchExpressions: [{key: stage, operator: In, values: [prod, staging]}, {key: frozen, operator: DoesNotExist}]
                  - name: secure
                    port: 443
                    protocol: HTTPS
                    tls: {mode: Terminate, certificateRefs: [{name: shop-tls}, {group: "", kind: Secret, namespace: certs, name: wild}]}
                """;
        assertThat(bothWays(yaml, Gateway.class, Fabric8Projection::gateway)).isEqualTo(new GatewayInput("infra", "public", 0,
                "shardgate", List.of(new GatewayInput.Listener("http", "*.example.com", 80, "HTTP", "All"),
                        new GatewayInput.Listener("https", null, 443, "HTTPS", null),
                        new GatewayInput.Listener("kinds", null, 8080, "HTTP", null, null, List.of(), List.of(
                                new GatewayInput.RouteKind(null, "HTTPRoute"), new GatewayInput.RouteKind("example.com", "Custom"))),
                        new GatewayInput.Listener("teams", null, 80, "HTTP", "Selector", null, List.of(), List.of(), new LabelSelector(
                                new java.util.TreeMap<>(Map.of("team", "payments")), List.of(
                                        new LabelSelector.Requirement("stage", "In", List.of("prod", "staging")),
                                        new LabelSelector.Requirement("frozen", "DoesNotExist", List.of())))),
                        new GatewayInput.Listener("secure", null, 443, "HTTPS", null, "Terminate", List.of(
                                new GatewayInput.CertificateRef(null, null, null, "shop-tls"),
                                new GatewayInput.CertificateRef("", "Secret", "certs", "wild")))),
                new GatewayInput.ClientValidation(true, List.of(8443)), List.of("edge.example.com")));
    }

    @Test
    void namespaceKeepsOnlyItsLabels() {
        String yaml = """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: pay
                  labels: {team: payments, stage: prod}
                  annotations: {owner: finance}
                """;
        assertThat(bothWays(yaml, Namespace.class, Fabric8Projection::namespace))
                .isEqualTo(new NamespaceInput("pay", Map.of("team", "payments", "stage", "prod")));
    }

    @Test
    void httpRouteAsWritten() {
        String yaml = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {namespace: shop, name: store, creationTimestamp: "2024-03-01T10:00:00Z"}
                spec:
                  parentRefs:
                  - {name: public, namespace: infra, sectionName: http}
                  - {group: gateway.networking.k8s.io, kind: Gateway, name: internal, port: 8080}
                  hostnames: [store.example.com, "*.shop.example.com"]
                  rules:
                  - matches:
                    - path: {type: Exact, value: /checkout}
                    - headers: [{name: x-canary, value: "1"}, {type: RegularExpression, name: x-id, value: "[0-9]+"}]
                      queryParams: [{name: debug, value: "on"}]
                      method: POST
                    backendRefs: [{name: checkout, port: 8080, weight: 5}]
                  - backendRefs:
                    - {kind: Service, namespace: other, name: web, port: 80,
                       filters: [{type: RequestHeaderModifier, requestHeaderModifier: {remove: [x-a]}}]}
                    filters:
                    - {type: RequestRedirect, requestRedirect: {scheme: https, port: 8443, statusCode: 301,
                       path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}}
                    - {type: URLRewrite, urlRewrite: {hostname: backend.internal, path: {type: ReplaceFullPath, replaceFullPath: /x}}}
                    - {type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 80}}}
                    - {type: RequestMirror, requestMirror: {backendRef: {namespace: audit, name: log, port: 9000},
                       fraction: {numerator: 1, denominator: 3}}}
                    - type: ResponseHeaderModifier
                      responseHeaderModifier: {set: [{name: X-Frame-Options, value: DENY}], add: [{name: vary, value: origin}]}
                    timeouts: {request: 10s, backendRequest: 2s}
                    retry: {attempts: 2, codes: [502, 503], backoff: 100ms}
                """;
        assertThat(bothWays(yaml, HTTPRoute.class, Fabric8Projection::httpRoute)).isEqualTo(new HttpRouteInput("shop", "store", 0,
                Instant.parse("2024-03-01T10:00:00Z"),
                List.of(new HttpRouteInput.ParentRef(null, null, "infra", "public", "http", null),
                        new HttpRouteInput.ParentRef("gateway.networking.k8s.io", "Gateway", null, "internal", null, 8080)),
                List.of("store.example.com", "*.shop.example.com"),
                List.of(new HttpRouteInput.Rule(
                                List.of(new HttpRouteInput.Match("Exact", "/checkout"), new HttpRouteInput.Match(null, null,
                                        List.of(new HttpRouteInput.ValueMatch(null, "x-canary", "1"),
                                                new HttpRouteInput.ValueMatch("RegularExpression", "x-id", "[0-9]+")),
                                        List.of(new HttpRouteInput.ValueMatch(null, "debug", "on")), "POST")),
                                List.of(new HttpRouteInput.BackendRef(null, null, null, "checkout", 8080, 5))),
                        new HttpRouteInput.Rule(List.of(),
                                List.of(new HttpRouteInput.BackendRef(null, "Service", "other", "web", 80, null,
                                        List.of(new HttpRouteInput.Filter("RequestHeaderModifier",
                                                new HttpRouteInput.HeaderModifier(List.of(), List.of(), List.of("x-a")))))),
                                List.of(HttpRouteInput.Filter.redirect(new HttpRouteInput.Redirect("https", null,
                                                new HttpRouteInput.PathModifier("ReplacePrefixMatch", null, "/new"), 8443, 301)),
                                        HttpRouteInput.Filter.urlRewrite(new HttpRouteInput.UrlRewrite("backend.internal",
                                                new HttpRouteInput.PathModifier("ReplaceFullPath", "/x", null))),
                                        HttpRouteInput.Filter.mirror(new HttpRouteInput.Mirror(
                                                new HttpRouteInput.BackendRef(null, null, null, "shadow", 80, null), null, null, null)),
                                        HttpRouteInput.Filter.mirror(new HttpRouteInput.Mirror(
                                                new HttpRouteInput.BackendRef(null, null, "audit", "log", 9000, null), null, 1, 3)),
                                        new HttpRouteInput.Filter("ResponseHeaderModifier",
                                        new HttpRouteInput.HeaderModifier(List.of(new HttpRouteInput.Header("X-Frame-Options", "DENY")),
                                                List.of(new HttpRouteInput.Header("vary", "origin")), List.of()))),
                                "10s", "2s", new HttpRouteInput.Retry(List.of(502, 503), 2, "100ms"), List.of()))));
    }

    @Test
    void referenceGrantWithTheCoreGroupAsEmpty() {
        String yaml = """
                apiVersion: gateway.networking.k8s.io/v1beta1
                kind: ReferenceGrant
                metadata: {namespace: billing, name: from-shop}
                spec:
                  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]
                  to: [{group: "", kind: Service}, {group: "", kind: Service, name: invoices}]
                """;
        assertThat(bothWays(yaml, ReferenceGrant.class, Fabric8Projection::referenceGrant)).isEqualTo(new ReferenceGrantInput(
                "billing", "from-shop", List.of(new ReferenceGrantInput.From("gateway.networking.k8s.io", "HTTPRoute", "shop")),
                List.of(new ReferenceGrantInput.To("", "Service", null), new ReferenceGrantInput.To("", "Service", "invoices"))));
    }

    private static TlsSecretInput tlsSecretBothWays(String yaml) {
        return bothWays(yaml, Secret.class, secret -> Fabric8Projection.tlsSecret(secret).orElseThrow());
    }

    /** Projects the YAML through both paths, asserts they agree, and returns the projection. */
    private static <K, P extends InputObject> P bothWays(String yaml, Class<K> modelType, Function<K, P> projection) {
        Optional<InputObject> decoded = ManifestDecoder.decode(map(yaml));
        P projected = projection.apply(fabric8(yaml, modelType));
        assertThat(decoded).as("ManifestDecoder").contains(projected);
        return projected;
    }

    private static Map<String, Object> map(String yaml) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    }

    private static <K> K fabric8(String yaml, Class<K> modelType) {
        return SERIALIZATION.unmarshal(yaml, modelType);
    }
}
