package io.shardgate.translator.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class ManifestDecoderTest {

    private static Map<String, Object> yaml(String text) {
        return new Yaml().load(text);
    }

    private static InputObject decodeOne(String text) {
        return ManifestDecoder.decode(yaml(text)).orElseThrow();
    }

    @Test
    void decodesIngressWithRulesTlsDefaultBackendAndFilteredAnnotations() {
        InputObject decoded = decodeOne("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: web
                  namespace: shop
                  creationTimestamp: "2024-03-01T10:00:00Z"
                  annotations:
                    nginx.ingress.kubernetes.io/ssl-redirect: "false"
                    shardgate.io/anything: x
                    kubectl.kubernetes.io/last-applied-configuration: "{}"
                spec:
                  ingressClassName: public
                  defaultBackend:
                    service: {name: fallback, port: {number: 80}}
                  tls:
                  - hosts: [shop.example.com]
                    secretName: shop-tls
                  - secretName: all-hosts
                  rules:
                  - host: Shop.Example.com
                    http:
                      paths:
                      - path: /api
                        pathType: Prefix
                        backend:
                          service: {name: api, port: {name: http}}
                      - path: /static
                        pathType: Exact
                        backend:
                          resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: assets}
                  - http:
                      paths:
                      - backend:
                          service: {name: catchall, port: {number: 8080}}
                """);

        assertThat(decoded).isEqualTo(new IngressInput(
                "shop", "web", Instant.parse("2024-03-01T10:00:00Z"), "public",
                Map.of("nginx.ingress.kubernetes.io/ssl-redirect", "false", "shardgate.io/anything", "x"),
                IngressInput.Backend.service("fallback", 80),
                List.of(
                        new IngressInput.Rule("Shop.Example.com", List.of(
                                new IngressInput.Path("/api", "Prefix", IngressInput.Backend.service("api", "http")),
                                new IngressInput.Path("/static", "Exact",
                                        new IngressInput.Backend(null, null, null, "StorageBucket")))),
                        new IngressInput.Rule(null, List.of(
                                new IngressInput.Path(null, null, IngressInput.Backend.service("catchall", 8080))))),
                List.of(new IngressInput.Tls(List.of("shop.example.com"), "shop-tls"),
                        new IngressInput.Tls(List.of(), "all-hosts"))));
    }

    @Test
    void ingressFallsBackToLegacyClassAnnotationDefaultNamespaceAndEpoch() {
        IngressInput ingress = (IngressInput) decodeOne("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: legacy
                  annotations: {kubernetes.io/ingress.class: shardgate}
                spec: {}
                """);
        assertThat(ingress.ingressClassName()).isEqualTo("shardgate");
        assertThat(ingress.namespace()).isEqualTo("default");
        assertThat(ingress.creationTimestamp()).isEqualTo(Instant.EPOCH);
        assertThat(ingress.annotations()).isEmpty();
        assertThat(ingress.rules()).isEmpty();
    }

    @Test
    void specClassNameWinsOverLegacyAnnotation() {
        IngressInput ingress = (IngressInput) decodeOne("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: a, annotations: {kubernetes.io/ingress.class: old}}
                spec: {ingressClassName: new}
                """);
        assertThat(ingress.ingressClassName()).isEqualTo("new");
    }

    @Test
    void unquotedYamlTimestampIsAccepted() {
        IngressInput ingress = (IngressInput) decodeOne("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: a, creationTimestamp: 2024-03-01T10:00:00Z}
                """);
        assertThat(ingress.creationTimestamp()).isEqualTo(Instant.parse("2024-03-01T10:00:00Z"));
    }

    @Test
    void decodesIngressClass() {
        assertThat(decodeOne("""
                apiVersion: networking.k8s.io/v1
                kind: IngressClass
                metadata:
                  name: public
                  annotations:
                    ingressclass.kubernetes.io/is-default-class: "true"
                    shardgate.io/shards: "4"
                spec: {controller: shardgate.io/controller}
                """)).isEqualTo(new IngressClassInput("public", "shardgate.io/controller", true, 4));
        assertThat(decodeOne("""
                apiVersion: networking.k8s.io/v1
                kind: IngressClass
                metadata: {name: other}
                spec: {controller: k8s.io/ingress-nginx}
                """)).isEqualTo(new IngressClassInput("other", "k8s.io/ingress-nginx", false, null));
    }

    @Test
    void theClientIdentitiesAnnotationListsWhoMayServeTheGateway() {
        assertThat(decodeOne("""
                apiVersion: networking.k8s.io/v1
                kind: IngressClass
                metadata:
                  name: edge
                  annotations:
                    shardgate.io/client-identities: " spiffe://cluster.local/ns/edge/sa/envoy, envoy.edge.svc,,envoy.edge.svc"
                spec: {controller: shardgate.io/controller}
                """)).isEqualTo(new IngressClassInput("edge", "shardgate.io/controller", false, null,
                        List.of("spiffe://cluster.local/ns/edge/sa/envoy", "envoy.edge.svc")));
    }

    @Test
    void invalidShardsAnnotationIsRejected() {
        assertThatThrownBy(() -> decodeOne("""
                apiVersion: networking.k8s.io/v1
                kind: IngressClass
                metadata: {name: public, annotations: {shardgate.io/shards: many}}
                spec: {controller: shardgate.io/controller}
                """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IngressClass public")
                .hasMessageContaining("metadata.annotations.shardgate.io/shards")
                .hasMessageContaining("many");
    }

    @Test
    void decodesTlsSecretFromBase64DataAndPlainStringData() {
        TlsSecretInput secret = (TlsSecretInput) decodeOne("""
                apiVersion: v1
                kind: Secret
                type: kubernetes.io/tls
                metadata: {name: shop-tls, namespace: shop}
                data:
                  tls.crt: Y2VydA==
                  tls.key: aWdub3JlZA==
                stringData:
                  tls.key: key
                """);
        assertThat(secret).isEqualTo(new TlsSecretInput("shop", "shop-tls",
                ByteString.copyFromUtf8("cert"), ByteString.copyFromUtf8("key")));
    }

    @Test
    void secretWithoutKeysDecodesToEmptyBytes() {
        TlsSecretInput secret = (TlsSecretInput) decodeOne("""
                apiVersion: v1
                kind: Secret
                type: kubernetes.io/tls
                metadata: {name: empty}
                """);
        assertThat(secret.certificatePem()).isEqualTo(ByteString.EMPTY);
        assertThat(secret.privateKeyPem()).isEqualTo(ByteString.EMPTY);
    }

    @Test
    void nonTlsSecretsAndUnreadKindsDecodeToEmpty() {
        assertThat(ManifestDecoder.decode(yaml("""
                apiVersion: v1
                kind: Secret
                type: Opaque
                metadata: {name: password}
                data: {password: aHVudGVyMg==}
                """))).isEmpty();
        assertThat(ManifestDecoder.decode(yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                """))).isEmpty();
        assertThat(ManifestDecoder.decode(yaml("""
                apiVersion: extensions/v1beta1
                kind: Ingress
                metadata: {name: ancient}
                """))).isEmpty();
    }

    @Test
    void invalidBase64IsRejectedWithFieldPath() {
        assertThatThrownBy(() -> decodeOne("""
                apiVersion: v1
                kind: Secret
                type: kubernetes.io/tls
                metadata: {name: bad, namespace: shop}
                data: {tls.crt: "!!!"}
                """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Secret shop/bad")
                .hasMessageContaining("data.tls.crt");
    }

    @Test
    void decodesService() {
        assertThat(decodeOne("""
                apiVersion: v1
                kind: Service
                metadata: {name: api, namespace: shop}
                spec:
                  ports:
                  - {name: http, port: 80, targetPort: 8080}
                  - {name: grpc, port: 9090, protocol: TCP, appProtocol: kubernetes.io/h2c}
                """)).isEqualTo(new ServiceInput("shop", "api", "ClusterIP", null, List.of(
                        new ServiceInput.Port("http", 80, "TCP", null),
                        new ServiceInput.Port("grpc", 9090, "TCP", "kubernetes.io/h2c"))));
    }

    @Test
    void decodesEndpointSliceWithReadinessDefaults() {
        assertThat(decodeOne("""
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: api-abc
                  namespace: shop
                  labels: {kubernetes.io/service-name: api}
                addressType: IPv4
                ports:
                - {name: http, port: 8080, protocol: TCP}
                endpoints:
                - addresses: [10.0.0.1]
                  zone: zone-a
                - addresses: [10.0.0.2]
                  conditions: {ready: false}
                - addresses: [10.0.0.3]
                  conditions: {ready: true, serving: true}
                """)).isEqualTo(new EndpointSliceInput("shop", "api-abc", "api", "IPv4",
                        List.of(new EndpointSliceInput.Port("http", 8080, "TCP")),
                        List.of(new EndpointSliceInput.Endpoint(List.of("10.0.0.1"), true, "zone-a"),
                                new EndpointSliceInput.Endpoint(List.of("10.0.0.2"), false, null),
                                new EndpointSliceInput.Endpoint(List.of("10.0.0.3"), true, null))));
    }

    @Test
    void malformedFieldsNameObjectAndPath() {
        assertThatThrownBy(() -> decodeOne("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: web, namespace: shop}
                spec:
                  rules:
                  - host: a.example.com
                    http:
                      paths:
                      - path: /
                        pathType: Prefix
                        backend: {service: {name: api, port: {number: "eighty"}}}
                """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Ingress shop/web: spec.rules[0].http.paths[0].backend.service.port.number: "
                        + "expected an integer, got string eighty");
        assertThatThrownBy(() -> decodeOne("""
                apiVersion: v1
                kind: Service
                metadata: {namespace: shop}
                """))
                .hasMessage("Service shop/(unnamed): metadata.name: is required");
        assertThatThrownBy(() -> decodeOne("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: web}
                spec: {rules: {host: a}}
                """))
                .hasMessageContaining("spec.rules: expected a list");
    }

    @Test
    void backendNeedsExactlyOnePortForm() {
        assertThatThrownBy(() -> decodeOne("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: web}
                spec:
                  defaultBackend: {service: {name: api, port: {number: 80, name: http}}}
                """))
                .hasMessageContaining("spec.defaultBackend.service.port: needs exactly one of number and name");
    }

    @Test
    void decodeAllReadsListItemsAndSkipsUnreadKinds() {
        List<InputObject> objects = ManifestDecoder.decodeAll(yaml("""
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: ConfigMap
                  metadata: {name: skipped}
                - apiVersion: networking.k8s.io/v1
                  kind: IngressClass
                  metadata: {name: public}
                  spec: {controller: shardgate.io/controller}
                - apiVersion: v1
                  kind: Service
                  metadata: {name: api}
                  spec: {ports: [{port: 80}]}
                """));
        assertThat(objects).extracting(InputObject::ref).containsExactly(
                ObjectRef.of(ObjectRef.Kind.INGRESS_CLASS, "", "public"),
                ObjectRef.of(ObjectRef.Kind.SERVICE, "default", "api"));
        assertThat(ManifestDecoder.decodeAll(yaml("""
                apiVersion: v1
                kind: Service
                metadata: {name: single}
                """))).hasSize(1);
    }

    @Test
    void refOfNamesAnyReadKindWithoutDecodingIt() {
        assertThat(ManifestDecoder.refOf(yaml("""
                apiVersion: v1
                kind: Secret
                type: Opaque
                metadata: {name: s, namespace: n}
                """))).isEqualTo(Optional.of(ObjectRef.of(ObjectRef.Kind.SECRET, "n", "s")));
        assertThat(ManifestDecoder.refOf(yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"))).isEmpty();
    }

    @Test
    void decodesGatewayApiObjectsAsWrittenLeavingDefaultsToTheTranslator() {
        assertThat(decodeOne("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: GatewayClass
                metadata: {name: shardgate}
                spec: {controllerName: shardgate.io/controller}
                """)).isEqualTo(new GatewayClassInput("shardgate", "shardgate.io/controller"));
        assertThat(decodeOne("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: public, namespace: infra}
                spec:
                  gatewayClassName: shardgate
                  listeners:
                  - {name: http, port: 80, protocol: HTTP, hostname: "*.example.com", allowedRoutes: {namespaces: {from: All}}}
                  - {name: plain, port: 8080, protocol: HTTP}
                """)).isEqualTo(new GatewayInput("infra", "public", 0, "shardgate", List.of(
                        new GatewayInput.Listener("http", "*.example.com", 80, "HTTP", "All"),
                        new GatewayInput.Listener("plain", null, 8080, "HTTP", null))));
        assertThat(decodeOne("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: store, creationTimestamp: "2024-03-01T10:00:00Z"}
                spec:
                  parentRefs:
                  - {name: public, namespace: infra, sectionName: http, port: 80}
                  hostnames: [store.example.com]
                  rules:
                  - matches: [{path: {type: Exact, value: /checkout}}]
                    backendRefs: [{name: checkout, port: 8080, weight: 3}]
                  - backendRefs: [{group: "", kind: Service, namespace: other, name: web}]
                """)).isEqualTo(new HttpRouteInput("default", "store", 0, Instant.parse("2024-03-01T10:00:00Z"),
                        List.of(new HttpRouteInput.ParentRef(null, null, "infra", "public", "http", 80)),
                        List.of("store.example.com"),
                        List.of(new HttpRouteInput.Rule(List.of(new HttpRouteInput.Match("Exact", "/checkout")),
                                        List.of(new HttpRouteInput.BackendRef(null, null, null, "checkout", 8080, 3))),
                                new HttpRouteInput.Rule(List.of(),
                                        List.of(new HttpRouteInput.BackendRef("", "Service", "other", "web", null, null))))));
        assertThat(ManifestDecoder.refOf(yaml("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: GatewayClass
                metadata: {name: shardgate, namespace: ignored}
                """))).isEqualTo(Optional.of(ObjectRef.of(ObjectRef.Kind.GATEWAY_CLASS, "", "shardgate")));
    }

    private static final java.util.function.Function<String, Optional<NamespaceInput>> NO_NAMESPACES = n -> Optional.empty();

    /** The Gateway infra/public with one HTTP listener and this spec.allowedListeners (flow YAML). */
    private static GatewayInput gatewayAllowing(String allowedListeners) {
        return (GatewayInput) decodeOne("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: public, namespace: infra}
                spec:
                  gatewayClassName: shardgate
                  allowedListeners: %s
                  listeners: [{name: http, port: 80, protocol: HTTP}]
                """.formatted(allowedListeners));
    }

    @Test
    void decodesListenerSetsAndTheGatewaysThatAllowThem() {
        GatewayInput gateway = gatewayAllowing("{namespaces: {from: Same}}");
        assertThat(gateway.allowedListeners()).isEqualTo("Same");
        assertThat(gateway.allowsListenerSetsFrom("infra", NO_NAMESPACES)).isTrue();
        assertThat(gateway.allowsListenerSetsFrom("team", NO_NAMESPACES)).isFalse();
        assertThat(new GatewayInput("infra", "closed", 0, "shardgate", List.of()).allowsListenerSetsFrom("infra", NO_NAMESPACES))
                .as("None is the default").isFalse();

        GatewayInput selecting = gatewayAllowing("{namespaces: {from: Selector, selector: {matchLabels: {tenant: \"yes\"}}}}");
        Map<String, NamespaceInput> namespaces = Map.of("team", new NamespaceInput("team", Map.of("tenant", "yes")),
                "infra", new NamespaceInput("infra", Map.of()));
        java.util.function.Function<String, Optional<NamespaceInput>> lookup = n -> Optional.ofNullable(namespaces.get(n));
        assertThat(selecting.allowsListenerSetsFrom("team", lookup)).as("labelled as the selector asks").isTrue();
        assertThat(selecting.allowsListenerSetsFrom("infra", lookup)).as("its own namespace, not labelled so").isFalse();
        assertThat(selecting.allowsListenerSetsFrom("unknown", lookup)).as("a Namespace not known").isFalse();
        assertThat(selecting.listenerSetSelector()).isNotNull();
        assertThat(new GatewayInput("infra", "odd", 0, "shardgate", List.of(), null, List.of(), "Selector")
                .allowsListenerSetsFrom("team", lookup)).as("Selector without a selector admits none").isFalse();

        assertThat(decodeOne("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: ListenerSet
                metadata: {name: shop, namespace: team, generation: 3, creationTimestamp: "2024-01-01T00:00:00Z"}
                spec:
                  parentRef: {name: public, namespace: infra}
                  listeners:
                  - name: https
                    port: 443
                    protocol: HTTPS
                    hostname: shop.example.com
                    tls: {certificateRefs: [{name: shop-tls}]}
                    allowedRoutes: {namespaces: {from: All}, kinds: [{kind: HTTPRoute}]}
                """)).isEqualTo(new ListenerSetInput("team", "shop", 3, Instant.parse("2024-01-01T00:00:00Z"),
                new ListenerSetInput.ParentRef(null, null, "infra", "public"),
                List.of(new GatewayInput.Listener("https", "shop.example.com", 443, "HTTPS", "All", null,
                        List.of(new GatewayInput.CertificateRef(null, null, null, "shop-tls")),
                        List.of(new GatewayInput.RouteKind(null, "HTTPRoute"))))));

        ListenerSetInput sameNamespace = new ListenerSetInput("infra", "s", 0, Instant.EPOCH,
                new ListenerSetInput.ParentRef(null, null, null, "public"), List.of());
        assertThat(sameNamespace.gateway()).isEqualTo(ObjectRef.of(ObjectRef.Kind.GATEWAY, "infra", "public"));
        assertThat(new ListenerSetInput("infra", "s", 0, Instant.EPOCH,
                new ListenerSetInput.ParentRef("example.com", "Proxy", null, "public"), List.of()).gateway())
                .as("a parent of another kind is no Gateway").isNull();
    }

    @Test
    void gatewayApiFieldsTheSpecificationRequiresAreRequired() {
        assertThatThrownBy(() -> decodeOne("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: public}
                spec:
                  gatewayClassName: shardgate
                  listeners: [{name: http, protocol: HTTP}]
                """)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Gateway public")
                .hasMessageContaining("spec.listeners[0].port");
        assertThatThrownBy(() -> decodeOne("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: store}
                spec:
                  parentRefs: [{namespace: infra}]
                """)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spec.parentRefs[0].name");
    }

    @Test
    void decodesReferenceGrantsAtV1beta1AndV1WithTheCoreGroupAsEmpty() {
        ReferenceGrantInput expected = new ReferenceGrantInput("billing", "from-shop",
                List.of(new ReferenceGrantInput.From("gateway.networking.k8s.io", "HTTPRoute", "shop")),
                List.of(new ReferenceGrantInput.To("", "Service", null), new ReferenceGrantInput.To("", "Service", "invoices")));
        for (String version : List.of("v1beta1", "v1")) {
            assertThat(decodeOne("""
                    apiVersion: gateway.networking.k8s.io/%s
                    kind: ReferenceGrant
                    metadata: {name: from-shop, namespace: billing}
                    spec:
                      from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]
                      to: [{kind: Service}, {group: "", kind: Service, name: invoices}]
                    """.formatted(version))).isEqualTo(expected);
        }
        assertThatThrownBy(() -> decodeOne("""
                apiVersion: gateway.networking.k8s.io/v1beta1
                kind: ReferenceGrant
                metadata: {name: broken, namespace: billing}
                spec:
                  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute}]
                  to: [{kind: Service}]
                """)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ReferenceGrant billing/broken")
                .hasMessageContaining("spec.from[0].namespace");
    }
}
