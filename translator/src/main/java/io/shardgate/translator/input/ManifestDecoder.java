package io.shardgate.translator.input;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Decodes one parsed Kubernetes manifest (the {@code Map} SnakeYAML or Jackson produce) into the compact
 * projection the translator reads. Pure: no I/O, no defaults from the environment.
 *
 * <ul>
 *   <li>Kinds Shardgate does not read, and Secrets not of type kubernetes.io/tls, decode to empty.</li>
 *   <li>A malformed manifest of a read kind throws {@link IllegalArgumentException} naming the object and
 *       the field path. Semantic checks (host syntax, path types, PEM contents) are the translator's job,
 *       so they become Problems attributed to the object rather than decoding failures.</li>
 *   <li>A namespaced object without metadata.namespace is in "default", as kubectl would apply it.</li>
 * </ul>
 */
public final class ManifestDecoder {
    public static final String DEFAULT_NAMESPACE = "default";
    public static final String TLS_SECRET_TYPE = "kubernetes.io/tls";
    public static final String LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class";
    public static final String DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
    public static final String SHARDS_ANNOTATION = "shardgate.io/shards";
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    public static final String GATEWAY_API = "gateway.networking.k8s.io/v1";
    /** The version of ReferenceGrant every Gateway API release since v1.0 serves. */
    public static final String GATEWAY_API_BETA = "gateway.networking.k8s.io/v1beta1";
    private static final List<String> KEPT_ANNOTATION_PREFIXES = List.of("nginx.ingress.kubernetes.io/", "shardgate.io/");

    private ManifestDecoder() {}

    /** The projection of one object, or empty if Shardgate does not read it. */
    public static Optional<InputObject> decode(Map<String, Object> manifest) {
        Optional<Kind> kind = Kind.of(manifest);
        if (kind.isEmpty()) return Optional.empty();
        ManifestField root = ManifestField.root(describe(manifest), manifest);
        return switch (kind.get()) {
            case INGRESS -> Optional.of(ingress(root));
            case INGRESS_CLASS -> Optional.of(ingressClass(root));
            case SECRET -> tlsSecret(root);
            case SERVICE -> Optional.of(service(root));
            case ENDPOINT_SLICE -> Optional.of(endpointSlice(root));
            case GATEWAY_CLASS -> Optional.of(gatewayClass(root));
            case GATEWAY -> Optional.of(gateway(root));
            case HTTP_ROUTE -> Optional.of(httpRoute(root));
            case LISTENER_SET -> Optional.of(listenerSet(root));
            case REFERENCE_GRANT, REFERENCE_GRANT_V1 -> Optional.of(referenceGrant(root));
            case NAMESPACE -> Optional.of(namespace(root));
        };
    }

    /** Whether Shardgate reads objects of this manifest's apiVersion and kind (a List is read for its items). */
    public static boolean isReadKind(Map<String, Object> manifest) {
        return "List".equals(manifest.get("kind")) || Kind.of(manifest).isPresent();
    }

    /** Decodes a {@code kind: List} (its items, in order, skipping kinds not read) or a single object. */
    public static List<InputObject> decodeAll(Map<String, Object> manifest) {
        if (!"List".equals(manifest.get("kind"))) return decode(manifest).stream().toList();
        ManifestField root = ManifestField.root("List", manifest);
        List<InputObject> out = new ArrayList<>();
        for (ManifestField item : root.get("items").items()) {
            Map<String, Object> itemMap = asStringKeyed(item);
            decode(itemMap).ifPresent(out::add);
        }
        return out;
    }

    /**
     * The identity of an object of a kind Shardgate reads (a Secret of any type included, so a Secret that
     * stops being kubernetes.io/tls can be forgotten), without decoding the rest. Useful for deletions.
     */
    public static Optional<ObjectRef> refOf(Map<String, Object> manifest) {
        Optional<Kind> kind = Kind.of(manifest);
        if (kind.isEmpty()) return Optional.empty();
        ManifestField meta = ManifestField.root(describe(manifest), manifest).get("metadata");
        String name = meta.get("name").requiredString();
        boolean clusterScoped = kind.get().ref == ObjectRef.Kind.INGRESS_CLASS || kind.get().ref == ObjectRef.Kind.GATEWAY_CLASS
                || kind.get().ref == ObjectRef.Kind.NAMESPACE;
        String namespace = clusterScoped ? "" : namespaceOf(meta);
        return Optional.of(ObjectRef.of(kind.get().ref, namespace, name));
    }

    private static IngressInput ingress(ManifestField root) {
        ManifestField meta = root.get("metadata");
        Map<String, String> allAnnotations = meta.get("annotations").stringMap();
        ManifestField spec = root.get("spec");
        String className = spec.get("ingressClassName").optionalString();
        if (className == null) className = allAnnotations.get(LEGACY_CLASS_ANNOTATION);

        List<IngressInput.Rule> rules = new ArrayList<>();
        for (ManifestField rule : spec.get("rules").items()) {
            List<IngressInput.Path> paths = new ArrayList<>();
            for (ManifestField path : rule.get("http").get("paths").items()) {
                paths.add(new IngressInput.Path(
                        path.get("path").optionalString(),
                        path.get("pathType").optionalString(),
                        backend(path.get("backend"))));
            }
            rules.add(new IngressInput.Rule(rule.get("host").optionalString(), paths));
        }
        List<IngressInput.Tls> tls = new ArrayList<>();
        for (ManifestField entry : spec.get("tls").items()) {
            List<String> hosts = new ArrayList<>();
            for (ManifestField host : entry.get("hosts").items()) hosts.add(host.requiredString());
            tls.add(new IngressInput.Tls(hosts, entry.get("secretName").optionalString()));
        }
        ManifestField defaultBackend = spec.get("defaultBackend");
        return new IngressInput(
                namespaceOf(meta),
                meta.get("name").requiredString(),
                meta.get("creationTimestamp").instantOrEpoch(),
                className,
                keptAnnotations(allAnnotations),
                defaultBackend.isAbsent() ? null : backend(defaultBackend),
                rules,
                tls);
    }

    private static IngressInput.Backend backend(ManifestField backend) {
        if (backend.isAbsent()) throw backend.error("is required");
        ManifestField resource = backend.get("resource");
        ManifestField service = backend.get("service");
        if (!resource.isAbsent()) {
            if (!service.isAbsent()) throw backend.error("service and resource are mutually exclusive");
            return new IngressInput.Backend(null, null, null, resource.get("kind").requiredString());
        }
        if (service.isAbsent()) throw backend.error("needs a service or a resource");
        ManifestField port = service.get("port");
        if (port.isAbsent()) throw port.error("is required");
        Integer number = port.get("number").optionalInt();
        String name = port.get("name").optionalString();
        if ((number == null) == (name == null)) throw port.error("needs exactly one of number and name");
        return new IngressInput.Backend(service.get("name").requiredString(), number, name, null);
    }

    private static Map<String, String> keptAnnotations(Map<String, String> all) {
        Map<String, String> kept = new TreeMap<>();
        all.forEach((k, v) -> {
            if (KEPT_ANNOTATION_PREFIXES.stream().anyMatch(k::startsWith)) kept.put(k, v);
        });
        return kept;
    }

    private static IngressClassInput ingressClass(ManifestField root) {
        ManifestField meta = root.get("metadata");
        Map<String, String> annotations = meta.get("annotations").stringMap();
        ClassAnnotations settings = ClassAnnotations.read(root.object(), annotations);
        return new IngressClassInput(
                meta.get("name").requiredString(),
                root.get("spec").get("controller").optionalString(),
                "true".equals(annotations.get(DEFAULT_CLASS_ANNOTATION)),
                settings.shards(),
                settings.clientIdentities(),
                settings.layout());
    }

    private static Optional<InputObject> tlsSecret(ManifestField root) {
        if (!TLS_SECRET_TYPE.equals(root.get("type").optionalString())) return Optional.empty();
        ManifestField meta = root.get("metadata");
        return Optional.of(new TlsSecretInput(
                namespaceOf(meta),
                meta.get("name").requiredString(),
                secretValue(root, "tls.crt"),
                secretValue(root, "tls.key")));
    }

    /** stringData wins over data, as the API server merges it on write. */
    private static ByteString secretValue(ManifestField root, String key) {
        String plain = root.get("stringData").get(key).optionalString();
        if (plain != null) return ByteString.copyFrom(plain, StandardCharsets.UTF_8);
        ManifestField encoded = root.get("data").get(key);
        String base64 = encoded.optionalString();
        if (base64 == null) return ByteString.EMPTY;
        try {
            // Strict base64 as the API encodes []byte; only the line breaks of wrapped YAML scalars are dropped.
            return ByteString.copyFrom(Base64.getDecoder().decode(base64.replaceAll("\\s", "")));
        } catch (IllegalArgumentException e) {
            throw encoded.error("invalid base64: " + e.getMessage());
        }
    }

    private static ServiceInput service(ManifestField root) {
        ManifestField meta = root.get("metadata");
        ManifestField spec = root.get("spec");
        List<ServiceInput.Port> ports = new ArrayList<>();
        for (ManifestField port : spec.get("ports").items()) {
            ports.add(new ServiceInput.Port(
                    port.get("name").optionalString(),
                    port.get("port").requiredInt(),
                    port.get("protocol").stringOr("TCP"),
                    port.get("appProtocol").optionalString()));
        }
        return new ServiceInput(
                namespaceOf(meta),
                meta.get("name").requiredString(),
                spec.get("type").stringOr("ClusterIP"),
                spec.get("externalName").optionalString(),
                ports);
    }

    private static EndpointSliceInput endpointSlice(ManifestField root) {
        ManifestField meta = root.get("metadata");
        List<EndpointSliceInput.Port> ports = new ArrayList<>();
        for (ManifestField port : root.get("ports").items()) {
            Integer number = port.get("port").optionalInt();
            // An absent port means "all ports" in the API; Shardgate routes to named Service ports only, so 0.
            ports.add(new EndpointSliceInput.Port(
                    port.get("name").optionalString(),
                    number == null ? 0 : number,
                    port.get("protocol").stringOr("TCP")));
        }
        List<EndpointSliceInput.Endpoint> endpoints = new ArrayList<>();
        for (ManifestField endpoint : root.get("endpoints").items()) {
            List<String> addresses = new ArrayList<>();
            for (ManifestField address : endpoint.get("addresses").items()) addresses.add(address.requiredString());
            Boolean ready = endpoint.get("conditions").get("ready").optionalBoolean();
            endpoints.add(new EndpointSliceInput.Endpoint(
                    addresses, ready == null || ready, endpoint.get("zone").optionalString()));
        }
        return new EndpointSliceInput(
                namespaceOf(meta),
                meta.get("name").requiredString(),
                meta.get("labels").stringMap().get(SERVICE_NAME_LABEL),
                root.get("addressType").stringOr("IPv4"),
                ports,
                endpoints);
    }

    private static GatewayClassInput gatewayClass(ManifestField root) {
        ManifestField meta = root.get("metadata");
        ClassAnnotations settings = ClassAnnotations.read(root.object(), meta.get("annotations").stringMap());
        return new GatewayClassInput(
                meta.get("name").requiredString(),
                meta.get("generation").longOrZero(),
                root.get("spec").get("controllerName").optionalString(),
                settings.shards(),
                settings.clientIdentities(),
                settings.layout());
    }

    private static GatewayInput gateway(ManifestField root) {
        ManifestField meta = root.get("metadata");
        ManifestField spec = root.get("spec");
        return new GatewayInput(namespaceOf(meta), meta.get("name").requiredString(), meta.get("generation").longOrZero(),
                spec.get("gatewayClassName").requiredString(), listeners(spec.get("listeners")),
                clientValidation(spec.get("tls").get("frontend")),
                spec.get("addresses").items().stream().map(a -> a.get("value").stringOr("")).toList(),
                spec.get("allowedListeners").get("namespaces").get("from").optionalString(),
                labelSelector(spec.get("allowedListeners").get("namespaces").get("selector")));
    }

    private static ListenerSetInput listenerSet(ManifestField root) {
        ManifestField meta = root.get("metadata");
        ManifestField spec = root.get("spec");
        ManifestField parent = spec.get("parentRef");
        return new ListenerSetInput(namespaceOf(meta), meta.get("name").requiredString(), meta.get("generation").longOrZero(),
                meta.get("creationTimestamp").instantOrEpoch(),
                new ListenerSetInput.ParentRef(parent.get("group").optionalString(), parent.get("kind").optionalString(),
                        parent.get("namespace").optionalString(), parent.get("name").requiredString()),
                listeners(spec.get("listeners")));
    }

    /** A Gateway's spec.listeners, or a ListenerSet's (whose entries have the same fields). */
    private static List<GatewayInput.Listener> listeners(ManifestField items) {
        List<GatewayInput.Listener> listeners = new ArrayList<>();
        for (ManifestField listener : items.items()) {
            ManifestField tls = listener.get("tls");
            List<GatewayInput.CertificateRef> certificates = new ArrayList<>();
            for (ManifestField ref : tls.get("certificateRefs").items()) {
                certificates.add(new GatewayInput.CertificateRef(ref.get("group").optionalString(), ref.get("kind").optionalString(),
                        ref.get("namespace").optionalString(), ref.get("name").requiredString()));
            }
            listeners.add(new GatewayInput.Listener(
                    listener.get("name").requiredString(),
                    listener.get("hostname").optionalString(),
                    listener.get("port").requiredInt(),
                    listener.get("protocol").requiredString(),
                    listener.get("allowedRoutes").get("namespaces").get("from").optionalString(),
                    tls.get("mode").optionalString(),
                    certificates,
                    routeKinds(listener.get("allowedRoutes").get("kinds")),
                    labelSelector(listener.get("allowedRoutes").get("namespaces").get("selector"))));
        }
        return listeners;
    }

    private static GatewayInput.ClientValidation clientValidation(ManifestField frontend) {
        boolean all = !frontend.get("default").get("validation").isAbsent();
        List<Integer> ports = new ArrayList<>();
        for (ManifestField entry : frontend.get("perPort").items()) {
            if (!entry.get("tls").get("validation").isAbsent()) ports.add(entry.get("port").requiredInt());
        }
        return all || !ports.isEmpty() ? new GatewayInput.ClientValidation(all, ports) : null;
    }

    /** A label selector, or null when absent. */
    private static LabelSelector labelSelector(ManifestField selector) {
        if (selector.isAbsent()) return null;
        List<LabelSelector.Requirement> expressions = new ArrayList<>();
        for (ManifestField expression : selector.get("matchExpressions").items()) {
            expressions.add(new LabelSelector.Requirement(expression.get("key").requiredString(),
                    expression.get("operator").requiredString(),
                    expression.get("values").items().stream().map(ManifestField::requiredString).toList()));
        }
        return new LabelSelector(new TreeMap<>(selector.get("matchLabels").stringMap()), expressions);
    }

    private static NamespaceInput namespace(ManifestField root) {
        return new NamespaceInput(root.get("metadata").get("name").requiredString(), root.get("metadata").get("labels").stringMap());
    }

    private static List<GatewayInput.RouteKind> routeKinds(ManifestField kinds) {
        List<GatewayInput.RouteKind> out = new ArrayList<>();
        for (ManifestField kind : kinds.items()) {
            out.add(new GatewayInput.RouteKind(kind.get("group").optionalString(), kind.get("kind").requiredString()));
        }
        return out;
    }

    private static ReferenceGrantInput referenceGrant(ManifestField root) {
        ManifestField meta = root.get("metadata");
        ManifestField spec = root.get("spec");
        List<ReferenceGrantInput.From> from = new ArrayList<>();
        for (ManifestField entry : spec.get("from").items()) {
            from.add(new ReferenceGrantInput.From(entry.get("group").stringOr(""), entry.get("kind").requiredString(),
                    entry.get("namespace").requiredString()));
        }
        List<ReferenceGrantInput.To> to = new ArrayList<>();
        for (ManifestField entry : spec.get("to").items()) {
            to.add(new ReferenceGrantInput.To(entry.get("group").stringOr(""), entry.get("kind").requiredString(),
                    entry.get("name").optionalString()));
        }
        return new ReferenceGrantInput(namespaceOf(meta), meta.get("name").requiredString(), from, to);
    }

    private static HttpRouteInput httpRoute(ManifestField root) {
        ManifestField meta = root.get("metadata");
        ManifestField spec = root.get("spec");
        List<HttpRouteInput.ParentRef> parents = new ArrayList<>();
        for (ManifestField parent : spec.get("parentRefs").items()) {
            parents.add(new HttpRouteInput.ParentRef(
                    parent.get("group").optionalString(),
                    parent.get("kind").optionalString(),
                    parent.get("namespace").optionalString(),
                    parent.get("name").requiredString(),
                    parent.get("sectionName").optionalString(),
                    parent.get("port").optionalInt()));
        }
        List<String> hostnames = new ArrayList<>();
        for (ManifestField hostname : spec.get("hostnames").items()) hostnames.add(hostname.requiredString());
        List<HttpRouteInput.Rule> rules = new ArrayList<>();
        for (ManifestField rule : spec.get("rules").items()) {
            List<HttpRouteInput.Match> matches = new ArrayList<>();
            for (ManifestField match : rule.get("matches").items()) {
                ManifestField path = match.get("path");
                matches.add(new HttpRouteInput.Match(path.get("type").optionalString(), path.get("value").optionalString(),
                        valueMatches(match.get("headers")), valueMatches(match.get("queryParams")), match.get("method").optionalString()));
            }
            List<HttpRouteInput.BackendRef> backends = new ArrayList<>();
            for (ManifestField backend : rule.get("backendRefs").items()) {
                backends.add(new HttpRouteInput.BackendRef(
                        backend.get("group").optionalString(),
                        backend.get("kind").optionalString(),
                        backend.get("namespace").optionalString(),
                        backend.get("name").requiredString(),
                        backend.get("port").optionalInt(),
                        backend.get("weight").optionalInt(),
                        filters(backend.get("filters"))));
            }
            List<String> otherFields = new ArrayList<>();
            for (String field : List.of("sessionPersistence")) {
                if (!rule.get(field).isAbsent()) otherFields.add(field);
            }
            ManifestField timeouts = rule.get("timeouts");
            rules.add(new HttpRouteInput.Rule(matches, backends, filters(rule.get("filters")),
                    timeouts.get("request").optionalString(), timeouts.get("backendRequest").optionalString(), retry(rule.get("retry")),
                    otherFields));
        }
        return new HttpRouteInput(namespaceOf(meta), meta.get("name").requiredString(), meta.get("generation").longOrZero(),
                meta.get("creationTimestamp").instantOrEpoch(), parents, hostnames, rules);
    }

    private static HttpRouteInput.Retry retry(ManifestField retry) {
        if (retry.isAbsent()) return null;
        List<Integer> codes = new ArrayList<>();
        for (ManifestField code : retry.get("codes").items()) codes.add(code.requiredInt());
        return new HttpRouteInput.Retry(codes, retry.get("attempts").optionalInt(), retry.get("backoff").optionalString());
    }

    private static HttpRouteInput.Mirror mirror(ManifestField mirror) {
        ManifestField backend = mirror.get("backendRef");
        ManifestField fraction = mirror.get("fraction");
        return new HttpRouteInput.Mirror(new HttpRouteInput.BackendRef(backend.get("group").optionalString(),
                backend.get("kind").optionalString(), backend.get("namespace").optionalString(), backend.get("name").requiredString(),
                backend.get("port").optionalInt(), null), mirror.get("percent").optionalInt(), fraction.get("numerator").optionalInt(),
                fraction.get("denominator").optionalInt());
    }

    private static List<HttpRouteInput.Filter> filters(ManifestField filters) {
        List<HttpRouteInput.Filter> out = new ArrayList<>();
        for (ManifestField filter : filters.items()) {
            String type = filter.get("type").requiredString();
            ManifestField modifier = switch (type) {
                case "RequestHeaderModifier" -> filter.get("requestHeaderModifier");
                case "ResponseHeaderModifier" -> filter.get("responseHeaderModifier");
                default -> null;
            };
            ManifestField redirect = type.equals("RequestRedirect") ? filter.get("requestRedirect") : null;
            ManifestField rewrite = type.equals("URLRewrite") ? filter.get("urlRewrite") : null;
            ManifestField mirror = type.equals("RequestMirror") ? filter.get("requestMirror") : null;
            out.add(new HttpRouteInput.Filter(type,
                    modifier == null || modifier.isAbsent() ? null : headerModifier(modifier),
                    redirect == null || redirect.isAbsent() ? null : new HttpRouteInput.Redirect(
                            redirect.get("scheme").optionalString(), redirect.get("hostname").optionalString(),
                            pathModifier(redirect.get("path")), redirect.get("port").optionalInt(),
                            redirect.get("statusCode").optionalInt()),
                    rewrite == null || rewrite.isAbsent() ? null : new HttpRouteInput.UrlRewrite(
                            rewrite.get("hostname").optionalString(), pathModifier(rewrite.get("path"))),
                    mirror == null || mirror.isAbsent() ? null : mirror(mirror)));
        }
        return out;
    }

    private static HttpRouteInput.PathModifier pathModifier(ManifestField path) {
        if (path.isAbsent()) return null;
        return new HttpRouteInput.PathModifier(path.get("type").requiredString(), path.get("replaceFullPath").optionalString(),
                path.get("replacePrefixMatch").optionalString());
    }

    private static HttpRouteInput.HeaderModifier headerModifier(ManifestField modifier) {
        List<String> remove = new ArrayList<>();
        for (ManifestField name : modifier.get("remove").items()) remove.add(name.requiredString());
        return new HttpRouteInput.HeaderModifier(headers(modifier.get("set")), headers(modifier.get("add")), remove);
    }

    private static List<HttpRouteInput.Header> headers(ManifestField list) {
        List<HttpRouteInput.Header> out = new ArrayList<>();
        for (ManifestField header : list.items()) {
            out.add(new HttpRouteInput.Header(header.get("name").requiredString(), header.get("value").stringOr("")));
        }
        return out;
    }

    private static List<HttpRouteInput.ValueMatch> valueMatches(ManifestField list) {
        List<HttpRouteInput.ValueMatch> out = new ArrayList<>();
        for (ManifestField item : list.items()) {
            out.add(new HttpRouteInput.ValueMatch(item.get("type").optionalString(), item.get("name").requiredString(),
                    item.get("value").requiredString()));
        }
        return out;
    }

    private static String namespaceOf(ManifestField meta) {
        return meta.get("namespace").stringOr(DEFAULT_NAMESPACE);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asStringKeyed(ManifestField item) {
        Map<?, ?> map = item.asMap();
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) throw item.error("expected string keys");
        }
        return (Map<String, Object>) map;
    }

    /** "Ingress shop/web" for error messages, tolerant of a broken metadata block. */
    private static String describe(Map<String, Object> manifest) {
        Object kind = manifest.get("kind");
        StringBuilder s = new StringBuilder(kind instanceof String k ? k : "object");
        if (manifest.get("metadata") instanceof Map<?, ?> meta) {
            Object ns = meta.get("namespace");
            Object name = meta.get("name");
            s.append(' ');
            if (ns instanceof String n && !n.isEmpty()) s.append(n).append('/');
            s.append(name instanceof String n ? n : "(unnamed)");
        }
        return s.toString();
    }

    /** The kinds read, keyed by apiVersion group and kind. */
    private enum Kind {
        INGRESS("networking.k8s.io/v1", "Ingress", ObjectRef.Kind.INGRESS),
        INGRESS_CLASS("networking.k8s.io/v1", "IngressClass", ObjectRef.Kind.INGRESS_CLASS),
        SECRET("v1", "Secret", ObjectRef.Kind.SECRET),
        SERVICE("v1", "Service", ObjectRef.Kind.SERVICE),
        ENDPOINT_SLICE("discovery.k8s.io/v1", "EndpointSlice", ObjectRef.Kind.ENDPOINT_SLICE),
        GATEWAY_CLASS(GATEWAY_API, "GatewayClass", ObjectRef.Kind.GATEWAY_CLASS),
        GATEWAY(GATEWAY_API, "Gateway", ObjectRef.Kind.GATEWAY),
        HTTP_ROUTE(GATEWAY_API, "HTTPRoute", ObjectRef.Kind.HTTP_ROUTE),
        LISTENER_SET(GATEWAY_API, "ListenerSet", ObjectRef.Kind.LISTENER_SET),
        REFERENCE_GRANT(GATEWAY_API_BETA, "ReferenceGrant", ObjectRef.Kind.REFERENCE_GRANT),
        REFERENCE_GRANT_V1(GATEWAY_API, "ReferenceGrant", ObjectRef.Kind.REFERENCE_GRANT),
        NAMESPACE("v1", "Namespace", ObjectRef.Kind.NAMESPACE);

        final String apiVersion;
        final String kind;
        final ObjectRef.Kind ref;

        Kind(String apiVersion, String kind, ObjectRef.Kind ref) {
            this.apiVersion = apiVersion;
            this.kind = kind;
            this.ref = ref;
        }

        static Optional<Kind> of(Map<String, Object> manifest) {
            Object apiVersion = manifest.get("apiVersion");
            Object kind = manifest.get("kind");
            for (Kind k : values()) {
                if (k.apiVersion.equals(apiVersion) && k.kind.equals(kind)) return Optional.of(k);
            }
            return Optional.empty();
        }
    }
}
