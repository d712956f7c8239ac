package io.shardgate.node.differential;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.AllowedRoutesBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilterBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerTLSConfigBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrantFromBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrantToBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.AllowedListenersBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerEntry;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerEntryBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSetBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteNamespacesBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackendBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.shardgate.translator.input.GatewayLayout;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import io.shardgate.node.engine.TestCertificates;
import io.shardgate.translator.input.ObjectRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random, seeded change sequences over a small world where everything collides: a few gateways, hosts,
 * namespaces, Services and Secrets, so that conflicts, shared clusters, renames, moves, TLS toggles,
 * re-sharding and ownership moves happen every few steps. The same seed always gives the same sequence.
 */
final class ChangeGenerator {
    static final List<String> GATEWAYS = List.of("g1", "g2");
    static final List<String> NAMESPACES = List.of("ns-a", "ns-b");
    static final List<String> SERVICES = List.of("web", "api");
    static final List<String> HOSTS = List.of("h0.example.com", "h1.example.com", "h2.example.com", "h3.example.com",
            "h4.example.com", "*.example.com", "shop.test", "x.y.example.com");
    static final List<String> SECRETS = List.of("tls-1", "tls-2", "tls-3");
    static final List<String> INGRESSES = List.of("i0", "i1", "i2", "i3", "i4");
    /** Gateway objects (in either namespace) and HTTPRoutes, when the sequence includes Gateway API. */
    static final List<String> GATEWAY_OBJECTS = List.of("edge", "inner");
    static final List<String> ROUTES = List.of("r0", "r1", "r2");
    static final List<String> LISTENER_SETS = List.of("set-0", "set-1", "set-2");
    static final List<String> GRANTS = List.of("grant-0", "grant-1");
    private static final List<String> CREATED = List.of("2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z");
    /** Certificates made once per JVM (key generation is the slow part): each covers a different set of hosts. */
    private static final List<TestCertificates.Pem> CERTIFICATES = List.of(
            TestCertificates.selfSigned(List.of("h0.example.com", "h1.example.com", "h2.example.com")),
            TestCertificates.selfSigned(List.of("h3.example.com", "h4.example.com", "shop.test")),
            TestCertificates.selfSigned(List.of("*.example.com")));

    private final Random random;
    private final Random layouts;
    private final World world;
    private final boolean gatewayApi;
    private long epoch;

    ChangeGenerator(long seed, World world) {
        this(seed, world, false);
    }

    /**
     * @param gatewayApi also change GatewayClasses (named like the IngressClasses, so both kinds share gateways and
     *                   hosts), Gateways and HTTPRoutes
     */
    ChangeGenerator(long seed, World world, boolean gatewayApi) {
        this.random = new Random(seed);
        this.layouts = new Random(~seed);
        this.world = world;
        this.gatewayApi = gatewayApi;
    }

    /** The changes of the next step (one to four), already applied to the world. */
    List<Change> next() {
        int count = 1 + random.nextInt(4);
        List<Change> step = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            for (Change c : change()) {
                world.apply(c);
                step.add(c);
            }
        }
        return step;
    }

    private List<Change> change() {
        int dice = random.nextInt(gatewayApi ? 139 : 100);
        if (dice >= 100) return gatewayApiChange(dice - 100);
        if (dice < 40) return List.of(new Change.Put(putIngress()));
        if (dice < 48) return deleteOne(ObjectRef.Kind.INGRESS);
        if (dice < 52) return moveIngress();
        if (dice < 60) return List.of(new Change.Put(service()));
        if (dice < 63) return deleteOne(ObjectRef.Kind.SERVICE);
        if (dice < 72) return List.of(new Change.Put(slice()));
        if (dice < 75) return deleteOne(ObjectRef.Kind.ENDPOINT_SLICE);
        if (dice < 83) return List.of(new Change.Put(secret()));
        if (dice < 86) return deleteOne(ObjectRef.Kind.SECRET);
        if (dice < 93) return List.of(new Change.Put(ingressClass()));
        if (dice < 94) return deleteOne(ObjectRef.Kind.INGRESS_CLASS);
        return List.of(new Change.MoveOwnership(++epoch));
    }

    private List<Change> gatewayApiChange(int dice) {
        if (dice < 12) return List.of(new Change.Put(httpRoute()));
        if (dice < 14) return deleteOne(ObjectRef.Kind.HTTP_ROUTE);
        if (dice < 20) return List.of(new Change.Put(gatewayObject()));
        if (dice < 21) return deleteOne(ObjectRef.Kind.GATEWAY);
        if (dice < 24) return List.of(new Change.Put(gatewayClass()));
        if (dice < 25) return deleteOne(ObjectRef.Kind.GATEWAY_CLASS);
        if (dice < 30) return List.of(new Change.Put(referenceGrant()));
        if (dice < 33) return List.of(new Change.Put(namespace()));
        if (dice < 36) return List.of(new Change.Put(listenerSet()));
        if (dice < 37) return deleteOne(ObjectRef.Kind.LISTENER_SET);
        return deleteOne(ObjectRef.Kind.REFERENCE_GRANT);
    }

    /**
     * A grant in one namespace to HTTPRoutes (or Gateways) of the other, for its Services or Secrets (all, or one by
     * name).
     */
    private HasMetadata referenceGrant() {
        String namespace = pick(NAMESPACES);
        String from = random.nextInt(4) == 0 ? namespace : NAMESPACES.get(1 - NAMESPACES.indexOf(namespace));
        boolean toSecrets = random.nextInt(3) == 0;
        return new ReferenceGrantBuilder()
                .withMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(pick(GRANTS)).build())
                .withNewSpec()
                .withFrom(new ReferenceGrantFromBuilder().withGroup("gateway.networking.k8s.io")
                        .withKind(random.nextInt(3) == 0 ? "Gateway" : "HTTPRoute").withNamespace(from).build())
                .withTo(toSecrets
                        ? new ReferenceGrantToBuilder().withGroup("").withKind("Secret")
                                .withName(random.nextBoolean() ? null : pick(SECRETS)).build()
                        : new ReferenceGrantToBuilder().withGroup("").withKind("Service")
                                .withName(random.nextBoolean() ? null : pick(SERVICES)).build())
                .endSpec()
                .build();
    }

    private HasMetadata gatewayClass() {
        String name = random.nextInt(8) == 0 ? "other" : pick(GATEWAYS);
        Map<String, String> annotations = new HashMap<>();
        if (random.nextBoolean()) annotations.put("shardgate.io/shards", Integer.toString(1 + random.nextInt(3)));
        chooseLayout(annotations);
        return new GatewayClassBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(name).withAnnotations(annotations).build())
                .withNewSpec().withControllerName(name.equals("other") ? "example.com/other" : "shardgate.io/controller").endSpec()
                .build();
    }

    /** A Gateway of one of the classes (or another's), with listeners that admit some routes and not others. */
    private HasMetadata gatewayObject() {
        List<Listener> listeners = new ArrayList<>();
        for (int l = 0, n = 1 + random.nextInt(2); l < n; l++) listeners.add(listener("l" + l));
        String allowedListeners = pick(java.util.Arrays.asList(null, null, "Same", "All", "All", "Selector"));
        return new GatewayBuilder()
                .withMetadata(new ObjectMetaBuilder().withNamespace(pick(NAMESPACES)).withName(pick(GATEWAY_OBJECTS)).build())
                .withNewSpec().withGatewayClassName(random.nextInt(6) == 0 ? "other" : pick(GATEWAYS)).withListeners(listeners)
                .withAllowedListeners(allowedListeners == null ? null : new AllowedListenersBuilder().withNewNamespaces()
                        .withFrom(allowedListeners).withSelector("Selector".equals(allowedListeners) ? namespaceSelector() : null)
                        .endNamespaces().build())
                .endSpec().build();
    }

    /**
     * A ListenerSet of one of the Gateways, older or newer than the others, whose listeners collide with the Gateway's and
     * each other's on port and hostname.
     */
    private HasMetadata listenerSet() {
        List<ListenerEntry> entries = new ArrayList<>();
        for (int l = 0, n = 1 + random.nextInt(2); l < n; l++) {
            Listener x = listener("s" + l);
            entries.add(new ListenerEntryBuilder().withName(x.getName()).withPort(x.getPort()).withProtocol(x.getProtocol())
                    .withHostname(x.getHostname()).withTls(x.getTls()).withAllowedRoutes(x.getAllowedRoutes()).build());
        }
        return new ListenerSetBuilder()
                .withMetadata(new ObjectMetaBuilder().withNamespace(pick(NAMESPACES)).withName(pick(LISTENER_SETS))
                        .withCreationTimestamp(pick(CREATED)).build())
                .withNewSpec().withNewParentRef().withName(pick(GATEWAY_OBJECTS)).withNamespace(random.nextBoolean() ? null : pick(NAMESPACES))
                .endParentRef().withListeners(entries).endSpec().build();
    }

    /** A listener that admits some routes and not others. */
    private Listener listener(String name) {
        String from = pick(java.util.Arrays.asList(null, "Same", "All", "All", "Selector"));
        boolean https = random.nextInt(3) == 0;
        List<SecretObjectReference> certificates = new ArrayList<>();
        for (int c = 0, k = random.nextInt(6) == 0 ? 0 : 1; https && c < k; c++) {
            certificates.add(new SecretObjectReferenceBuilder().withName(pick(SECRETS))
                    .withNamespace(random.nextInt(3) == 0 ? pick(NAMESPACES) : null).build());
        }
        return new ListenerBuilder().withName(name).withPort(pick(List.of(80, 8080)))
                .withProtocol(https ? "HTTPS" : "HTTP")
                .withTls(https ? new ListenerTLSConfigBuilder().withCertificateRefs(certificates).build() : null)
                .withHostname(pick(java.util.Arrays.asList(null, null, "*.example.com", "h1.example.com", "x.y.example.com", "shop.test")))
                .withAllowedRoutes(from == null ? null : new AllowedRoutesBuilder().withNamespaces(
                        new RouteNamespacesBuilder().withFrom(from).withSelector("Selector".equals(from) ? namespaceSelector() : null)
                                .build()).build())
                .build();
    }

    /** A Namespace of the routes, labelled for a team or not: what namespace selectors match. */
    private HasMetadata namespace() {
        Map<String, String> labels = random.nextInt(3) == 0 ? Map.of() : Map.of("team", pick(List.of("a", "b")));
        return new NamespaceBuilder().withMetadata(new ObjectMetaBuilder().withName(pick(NAMESPACES)).withLabels(labels).build()).build();
    }

    /** A selector of every kind: by label, by expression of each operator, empty (every namespace), or none. */
    private LabelSelector namespaceSelector() {
        return switch (random.nextInt(7)) {
            case 0 -> new LabelSelectorBuilder().withMatchLabels(Map.of("team", "a")).build();
            case 1 -> expression("In", "a", "b");
            case 2 -> expression("NotIn", "a");
            case 3 -> expression("Exists");
            case 4 -> expression("DoesNotExist");
            case 5 -> new LabelSelectorBuilder().build();
            default -> null;
        };
    }

    private static LabelSelector expression(String operator, String... values) {
        return new LabelSelectorBuilder().withMatchExpressions(new LabelSelectorRequirementBuilder().withKey("team")
                .withOperator(operator).withValues(values).build()).build();
    }

    /** A new HTTPRoute or an edit: parents, hostnames, matches and backends that attach, collide and break. */
    private HasMetadata httpRoute() {
        List<ParentReference> parents = new ArrayList<>();
        for (int p = 0, n = 1 + random.nextInt(2); p < n; p++) {
            boolean toSet = random.nextInt(3) == 0;
            parents.add(new ParentReferenceBuilder().withName(toSet ? pick(LISTENER_SETS) : pick(GATEWAY_OBJECTS))
                    .withKind(toSet ? "ListenerSet" : null).withGroup(toSet ? "gateway.networking.k8s.io" : null)
                    .withNamespace(random.nextBoolean() ? null : pick(NAMESPACES))
                    .withSectionName(pick(java.util.Arrays.asList(null, null, "l0", "l1", "s0")))
                    .withPort(random.nextInt(4) == 0 ? 80 : null)
                    .build());
        }
        List<String> hostnames = new ArrayList<>();
        for (int h = 0, n = random.nextInt(3); h < n; h++) hostnames.add(pick(HOSTS));
        List<HTTPRouteRule> rules = new ArrayList<>();
        for (int r = 0, n = 1 + random.nextInt(2); r < n; r++) {
            List<HTTPRouteMatch> matches = new ArrayList<>();
            for (int m = 0, k = random.nextInt(3); m < k; m++) {
                matches.add(new HTTPRouteMatchBuilder().withPath(new HTTPPathMatchBuilder()
                        .withType(pick(List.of("Exact", "PathPrefix", "PathPrefix", "RegularExpression")))
                        .withValue(pick(List.of("/", "/api", "/a/b", "/api/v1"))).build()).build());
            }
            List<HTTPBackendRef> backends = new ArrayList<>();
            for (int b = 0, k = random.nextInt(10) == 0 ? 2 : random.nextInt(8) == 0 ? 0 : 1; b < k; b++) {
                backends.add(new HTTPBackendRefBuilder().withName(random.nextInt(8) == 0 ? "missing" : pick(SERVICES))
                        .withNamespace(random.nextInt(3) == 0 ? pick(NAMESPACES) : null)
                        .withPort(pick(java.util.Arrays.asList(80, 80, 8080, null))).build());
            }
            List<HTTPRouteFilter> filters = new ArrayList<>();
            if (random.nextInt(6) == 0) {
                filters.add(new HTTPRouteFilterBuilder().withType("RequestMirror").withNewRequestMirror().withNewBackendRef()
                        .withName(random.nextInt(4) == 0 ? "missing" : pick(SERVICES))
                        .withNamespace(random.nextInt(3) == 0 ? pick(NAMESPACES) : null).withPort(80).endBackendRef()
                        .withPercent(pick(java.util.Arrays.asList(null, 50))).endRequestMirror().build());
            }
            rules.add(new HTTPRouteRuleBuilder().withMatches(matches).withBackendRefs(backends).withFilters(filters).build());
        }
        return new HTTPRouteBuilder()
                .withMetadata(new ObjectMetaBuilder().withNamespace(pick(NAMESPACES)).withName(pick(ROUTES))
                        .withCreationTimestamp(pick(CREATED)).build())
                .withNewSpec().withParentRefs(parents).withHostnames(hostnames).withRules(rules).endSpec()
                .build();
    }

    private List<Change> deleteOne(ObjectRef.Kind kind) {
        List<ObjectRef> refs = world.refs(kind);
        return refs.isEmpty() ? List.of() : List.of(new Change.Delete(pick(refs)));
    }

    /** The same Ingress deleted in one namespace and created in the other, in one step. */
    private List<Change> moveIngress() {
        List<ObjectRef> refs = world.refs(ObjectRef.Kind.INGRESS);
        if (refs.isEmpty()) return List.of();
        ObjectRef from = pick(refs);
        io.fabric8.kubernetes.api.model.networking.v1.Ingress old =
                (io.fabric8.kubernetes.api.model.networking.v1.Ingress) world.get(from).orElseThrow();
        String to = from.namespace().equals(NAMESPACES.get(0)) ? NAMESPACES.get(1) : NAMESPACES.get(0);
        HasMetadata moved = new IngressBuilder(old).editMetadata().withNamespace(to).endMetadata().build();
        return List.of(new Change.Delete(from), new Change.Put(moved));
    }

    /** Half the classes choose the scoped layout; drawn apart, so each seed's other changes stay as they were. */
    private void chooseLayout(Map<String, String> annotations) {
        if (layouts.nextBoolean()) annotations.put(GatewayLayout.ANNOTATION, GatewayLayout.SCOPED.annotationValue());
    }

    private HasMetadata ingressClass() {
        String name = random.nextInt(8) == 0 ? "other" : pick(GATEWAYS);
        Map<String, String> annotations = new HashMap<>();
        if (random.nextBoolean()) annotations.put("shardgate.io/shards", Integer.toString(1 + random.nextInt(3)));
        if (random.nextInt(4) == 0) annotations.put("ingressclass.kubernetes.io/is-default-class", "true");
        chooseLayout(annotations);
        return new IngressClassBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(name).withAnnotations(annotations).build())
                .withNewSpec().withController(name.equals("other") ? "example.com/other" : "shardgate.io/controller").endSpec()
                .build();
    }

    /** A new Ingress, or an edit of an existing one: a host renamed, a backend swapped, TLS toggled, a class changed. */
    private HasMetadata putIngress() {
        String namespace = pick(NAMESPACES);
        String name = pick(INGRESSES);
        Map<String, String> annotations = new HashMap<>();
        int annotation = random.nextInt(10);
        if (annotation == 0) annotations.put("nginx.ingress.kubernetes.io/ssl-redirect", "false");
        if (annotation == 1) annotations.put("nginx.ingress.kubernetes.io/backend-protocol", "GRPC");
        if (annotation == 2) annotations.put("nginx.ingress.kubernetes.io/rewrite-target", "/");
        if (annotation == 3) annotations.put("nginx.ingress.kubernetes.io/use-regex", "true");
        List<IngressRule> rules = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        for (int r = 0, n = 1 + random.nextInt(2); r < n; r++) {
            String host = random.nextInt(10) == 0 ? null : pick(HOSTS);
            if (host != null) hosts.add(host);
            List<HTTPIngressPath> paths = new ArrayList<>();
            for (int p = 0, m = 1 + random.nextInt(2); p < m; p++) {
                paths.add(new HTTPIngressPathBuilder().withPath(pick(List.of("/", "/api", "/a/b", "/api/v1")))
                        .withPathType(pick(List.of("Prefix", "Prefix", "Exact", "ImplementationSpecific")))
                        .withBackend(backend()).build());
            }
            rules.add(new IngressRuleBuilder().withHost(host).withNewHttp().withPaths(paths).endHttp().build());
        }
        List<IngressTLS> tls = new ArrayList<>();
        if (!hosts.isEmpty() && random.nextBoolean()) {
            tls.add(new IngressTLSBuilder().withHosts(random.nextInt(5) == 0 ? List.of() : List.of(pick(hosts)))
                    .withSecretName(random.nextInt(8) == 0 ? "missing" : pick(SECRETS)).build());
        }
        int classChoice = random.nextInt(8);
        String className = classChoice < 6 ? pick(GATEWAYS) : classChoice == 6 ? "other" : null;
        return new IngressBuilder()
                .withMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).withAnnotations(annotations)
                        .withCreationTimestamp(pick(CREATED)).build())
                .withNewSpec().withIngressClassName(className).withRules(rules).withTls(tls)
                .withDefaultBackend(random.nextInt(8) == 0 ? backend() : null).endSpec()
                .build();
    }

    private IngressBackend backend() {
        String service = random.nextInt(8) == 0 ? "missing" : pick(SERVICES);
        var port = new io.fabric8.kubernetes.api.model.networking.v1.ServiceBackendPortBuilder();
        int choice = random.nextInt(3);
        if (choice == 0) port.withName("http");
        else port.withNumber(choice == 1 ? 80 : 8080);
        return new IngressBackendBuilder().withNewService().withName(service).withPort(port.build()).endService().build();
    }

    /** A Service with one unnamed port, or named ports (Kubernetes requires names once there are several). */
    private HasMetadata service() {
        List<ServicePort> ports = new ArrayList<>();
        if (random.nextInt(3) == 0) {
            ports.add(new ServicePortBuilder().withPort(8080).withTargetPort(new IntOrString(8080)).withProtocol("TCP").build());
        } else {
            ports.add(new ServicePortBuilder().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).withProtocol("TCP").build());
            if (random.nextBoolean()) {
                ports.add(new ServicePortBuilder().withName("grpc").withPort(9090).withTargetPort(new IntOrString("grpc")).withProtocol("TCP").build());
            }
        }
        return new ServiceBuilder()
                .withMetadata(new ObjectMetaBuilder().withNamespace(pick(NAMESPACES)).withName(pick(SERVICES)).build())
                .withNewSpec().withType("ClusterIP").withPorts(ports).endSpec()
                .build();
    }

    /** A slice as the EndpointSlice controller writes it: an unnamed Service port becomes {@code name: ""}. */
    private HasMetadata slice() {
        String service = pick(SERVICES);
        var builder = new EndpointSliceBuilder()
                .withMetadata(new ObjectMetaBuilder().withNamespace(pick(NAMESPACES)).withName(service + "-" + random.nextInt(2))
                        .withLabels(Map.of("kubernetes.io/service-name", service)).build())
                .withAddressType("IPv4");
        int portShape = random.nextInt(3);
        if (portShape == 0) builder.addToPorts(new EndpointPortBuilder().withName("").withPort(8080).withProtocol("TCP").build());
        if (portShape >= 1) builder.addToPorts(new EndpointPortBuilder().withName("http").withPort(8080).withProtocol("TCP").build());
        if (portShape == 2) builder.addToPorts(new EndpointPortBuilder().withName("grpc").withPort(9090).withProtocol("TCP").build());
        for (int e = 0, n = random.nextInt(3); e < n; e++) {
            var endpoint = new EndpointBuilder().addToAddresses("10.0." + random.nextInt(2) + "." + (1 + random.nextInt(3)))
                    .withNewConditions().withReady(random.nextInt(4) != 0).endConditions();
            if (random.nextBoolean()) endpoint.withZone(pick(List.of("zone-a", "zone-b")));
            builder.addToEndpoints(endpoint.build());
        }
        return builder.build();
    }

    /** A TLS Secret for one of the certificates, or a broken one, or an Opaque Secret under a TLS Secret's name. */
    private HasMetadata secret() {
        var meta = new ObjectMetaBuilder().withNamespace(pick(NAMESPACES)).withName(pick(SECRETS)).build();
        int kind = random.nextInt(10);
        if (kind == 0) {
            return new SecretBuilder().withMetadata(meta).withType("Opaque").withData(Map.of("password", base64("x"))).build();
        }
        if (kind == 1) {
            return new SecretBuilder().withMetadata(meta).withType("kubernetes.io/tls")
                    .withData(Map.of("tls.crt", base64("not a certificate"), "tls.key", base64("not a key"))).build();
        }
        TestCertificates.Pem pem = pick(CERTIFICATES);
        return new SecretBuilder().withMetadata(meta).withType("kubernetes.io/tls")
                .withData(Map.of("tls.crt", base64(pem.certificate().toStringUtf8()), "tls.key", base64(pem.privateKey().toStringUtf8())))
                .build();
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
