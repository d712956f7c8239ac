package io.shardgate.node.source;

import com.google.protobuf.ByteString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.AllowedListeners;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.AllowedRoutes;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewaySpec;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeader;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathModifier;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPQueryParamMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestRedirectFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteSpec;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteTimeouts;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendObjectReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Fraction;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.FrontendTLSConfig;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestMirrorFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPURLRewriteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.TLSPortConfig;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerEntry;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerSetSpec;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentGatewayReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerTLSConfig;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrantFrom;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrantSpec;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrantTo;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceBackendPort;
import io.shardgate.translator.input.ClassAnnotations;
import io.shardgate.translator.input.EndpointSliceInput;
import io.shardgate.translator.input.GatewayClassInput;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.IngressInput;
import io.shardgate.translator.input.ListenerSetInput;
import io.shardgate.translator.input.LabelSelector;
import io.shardgate.translator.input.ManifestDecoder;
import io.shardgate.translator.input.NamespaceInput;
import io.shardgate.translator.input.ReferenceGrantInput;
import io.shardgate.translator.input.ServiceInput;
import io.shardgate.translator.input.TlsSecretInput;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * fabric8 model objects (what informers deliver) to the translator's projections, by typed getters: no
 * intermediate maps, because a cold start lists every Ingress of the cluster at once.
 *
 * <p>It must agree with {@link ManifestDecoder}, which projects the same objects from files; the
 * parity test runs both on the same YAML. Malformed objects throw {@link IllegalArgumentException} as the
 * decoder does; objects from a real API server are already validated, so that is for mock servers and
 * hand-made objects.
 */
public final class Fabric8Projection {
    private static final List<String> KEPT_ANNOTATION_PREFIXES = List.of("nginx.ingress.kubernetes.io/", "shardgate.io/");

    private Fabric8Projection() {}

    public static IngressInput ingress(Ingress ingress) {
        ObjectMeta meta = ingress.getMetadata();
        Map<String, String> annotations = nonNull(meta.getAnnotations());
        IngressSpec spec = ingress.getSpec();
        String className = spec == null ? null : spec.getIngressClassName();
        if (className == null) className = annotations.get(ManifestDecoder.LEGACY_CLASS_ANNOTATION);
        String where = describe("Ingress", meta);

        List<IngressInput.Rule> rules = new ArrayList<>();
        List<IngressInput.Tls> tls = new ArrayList<>();
        IngressInput.Backend defaultBackend = null;
        if (spec != null) {
            for (IngressRule rule : nonNull(spec.getRules())) {
                List<IngressInput.Path> paths = new ArrayList<>();
                List<HTTPIngressPath> httpPaths = rule.getHttp() == null ? List.of() : nonNull(rule.getHttp().getPaths());
                for (HTTPIngressPath path : httpPaths) {
                    paths.add(new IngressInput.Path(path.getPath(), path.getPathType(), backend(where, path.getBackend())));
                }
                rules.add(new IngressInput.Rule(rule.getHost(), paths));
            }
            for (IngressTLS entry : nonNull(spec.getTls())) {
                List<String> hosts = nonNull(entry.getHosts());
                hosts.forEach(host -> required(host, where, "spec.tls[].hosts[]"));
                tls.add(new IngressInput.Tls(hosts, entry.getSecretName()));
            }
            if (spec.getDefaultBackend() != null) defaultBackend = backend(where, spec.getDefaultBackend());
        }
        return new IngressInput(
                namespace(meta),
                meta.getName(),
                instant(where, meta.getCreationTimestamp()),
                className,
                keptAnnotations(annotations),
                defaultBackend,
                rules,
                tls);
    }

    public static IngressClassInput ingressClass(IngressClass ingressClass) {
        ObjectMeta meta = ingressClass.getMetadata();
        Map<String, String> annotations = nonNull(meta.getAnnotations());
        ClassAnnotations settings = ClassAnnotations.read(describe("IngressClass", meta), annotations);
        return new IngressClassInput(
                meta.getName(),
                ingressClass.getSpec() == null ? null : ingressClass.getSpec().getController(),
                "true".equals(annotations.get(ManifestDecoder.DEFAULT_CLASS_ANNOTATION)),
                settings.shards(),
                settings.clientIdentities(),
                settings.layout());
    }

    public static NamespaceInput namespace(Namespace namespace) {
        return new NamespaceInput(namespace.getMetadata().getName(), nonNull(namespace.getMetadata().getLabels()));
    }

    private static LabelSelector labelSelector(io.fabric8.kubernetes.api.model.LabelSelector selector, String where) {
        if (selector == null) return null;
        List<LabelSelector.Requirement> expressions = new ArrayList<>();
        for (LabelSelectorRequirement r : nonNull(selector.getMatchExpressions())) {
            expressions.add(new LabelSelector.Requirement(required(r.getKey(), where, "selector.matchExpressions[].key"),
                    required(r.getOperator(), where, "selector.matchExpressions[].operator"), nonNull(r.getValues())));
        }
        return new LabelSelector(new java.util.TreeMap<>(nonNull(selector.getMatchLabels())), expressions);
    }

    public static GatewayClassInput gatewayClass(GatewayClass gatewayClass) {
        ObjectMeta meta = gatewayClass.getMetadata();
        ClassAnnotations settings = ClassAnnotations.read(describe("GatewayClass", meta), nonNull(meta.getAnnotations()));
        return new GatewayClassInput(
                meta.getName(),
                generation(meta),
                gatewayClass.getSpec() == null ? null : gatewayClass.getSpec().getControllerName(),
                settings.shards(),
                settings.clientIdentities(),
                settings.layout());
    }

    public static GatewayInput gateway(Gateway gateway) {
        ObjectMeta meta = gateway.getMetadata();
        String where = describe("Gateway", meta);
        GatewaySpec spec = gateway.getSpec();
        if (spec == null) throw new IllegalArgumentException(where + ": spec is required");
        List<GatewayInput.Listener> listeners = new ArrayList<>();
        for (Listener listener : nonNull(spec.getListeners())) {
            listeners.add(listener(where, listener.getName(), listener.getHostname(), listener.getPort(), listener.getProtocol(),
                    listener.getAllowedRoutes(), listener.getTls()));
        }
        AllowedListeners allowedListeners = spec.getAllowedListeners();
        return new GatewayInput(namespace(meta), meta.getName(), generation(meta),
                required(spec.getGatewayClassName(), where, "spec.gatewayClassName"), listeners, clientValidation(spec),
                nonNull(spec.getAddresses()).stream().map(a -> a.getValue() == null ? "" : a.getValue()).toList(),
                allowedListeners == null || allowedListeners.getNamespaces() == null ? null : allowedListeners.getNamespaces().getFrom(),
                allowedListeners == null || allowedListeners.getNamespaces() == null ? null
                        : labelSelector(allowedListeners.getNamespaces().getSelector(), where));
    }

    public static ListenerSetInput listenerSet(ListenerSet set) {
        ObjectMeta meta = set.getMetadata();
        String where = describe("ListenerSet", meta);
        ListenerSetSpec spec = set.getSpec();
        if (spec == null || spec.getParentRef() == null) throw new IllegalArgumentException(where + ": spec.parentRef is required");
        ParentGatewayReference parent = spec.getParentRef();
        List<GatewayInput.Listener> listeners = new ArrayList<>();
        for (ListenerEntry listener : nonNull(spec.getListeners())) {
            listeners.add(listener(where, listener.getName(), listener.getHostname(), listener.getPort(), listener.getProtocol(),
                    listener.getAllowedRoutes(), listener.getTls()));
        }
        return new ListenerSetInput(namespace(meta), meta.getName(), generation(meta), instant(where, meta.getCreationTimestamp()),
                new ListenerSetInput.ParentRef(parent.getGroup(), parent.getKind(), parent.getNamespace(),
                        required(parent.getName(), where, "spec.parentRef.name")), listeners);
    }

    /** A Gateway's listener or a ListenerSet's entry: fabric8 has a class for each, with the same fields. */
    private static GatewayInput.Listener listener(String where, String name, String hostname, Integer port, String protocol,
            AllowedRoutes allowed, ListenerTLSConfig tls) {
        List<GatewayInput.CertificateRef> certificates = new ArrayList<>();
        for (SecretObjectReference ref : tls == null ? List.<SecretObjectReference>of() : nonNull(tls.getCertificateRefs())) {
            certificates.add(new GatewayInput.CertificateRef(ref.getGroup(), ref.getKind(), ref.getNamespace(),
                    required(ref.getName(), where, "spec.listeners[].tls.certificateRefs[].name")));
        }
        return new GatewayInput.Listener(
                required(name, where, "spec.listeners[].name"),
                hostname,
                requiredInt(port, where, "spec.listeners[].port"),
                required(protocol, where, "spec.listeners[].protocol"),
                allowed == null || allowed.getNamespaces() == null ? null : allowed.getNamespaces().getFrom(),
                tls == null ? null : tls.getMode(),
                certificates,
                allowed == null ? List.of() : nonNull(allowed.getKinds()).stream().map(k -> new GatewayInput.RouteKind(k.getGroup(),
                        required(k.getKind(), where, "spec.listeners[].allowedRoutes.kinds[].kind"))).toList(),
                allowed == null || allowed.getNamespaces() == null ? null : labelSelector(allowed.getNamespaces().getSelector(), where));
    }

    private static GatewayInput.ClientValidation clientValidation(GatewaySpec spec) {
        FrontendTLSConfig frontend = spec.getTls() == null ? null : spec.getTls().getFrontend();
        if (frontend == null) return null;
        boolean all = frontend.getDefault() != null && frontend.getDefault().getValidation() != null;
        List<Integer> ports = nonNull(frontend.getPerPort()).stream()
                .filter(p -> p.getTls() != null && p.getTls().getValidation() != null && p.getPort() != null)
                .map(TLSPortConfig::getPort).toList();
        return all || !ports.isEmpty() ? new GatewayInput.ClientValidation(all, ports) : null;
    }

    public static ReferenceGrantInput referenceGrant(ReferenceGrant grant) {
        ObjectMeta meta = grant.getMetadata();
        String where = describe("ReferenceGrant", meta);
        ReferenceGrantSpec spec = grant.getSpec();
        if (spec == null) throw new IllegalArgumentException(where + ": spec is required");
        List<ReferenceGrantInput.From> from = new ArrayList<>();
        for (ReferenceGrantFrom entry : nonNull(spec.getFrom())) {
            from.add(new ReferenceGrantInput.From(orElse(entry.getGroup(), ""), required(entry.getKind(), where, "spec.from[].kind"),
                    required(entry.getNamespace(), where, "spec.from[].namespace")));
        }
        List<ReferenceGrantInput.To> to = new ArrayList<>();
        for (ReferenceGrantTo entry : nonNull(spec.getTo())) {
            to.add(new ReferenceGrantInput.To(orElse(entry.getGroup(), ""), required(entry.getKind(), where, "spec.to[].kind"),
                    entry.getName()));
        }
        return new ReferenceGrantInput(namespace(meta), meta.getName(), from, to);
    }

    public static HttpRouteInput httpRoute(HTTPRoute route) {
        ObjectMeta meta = route.getMetadata();
        String where = describe("HTTPRoute", meta);
        HTTPRouteSpec spec = route.getSpec();
        List<HttpRouteInput.ParentRef> parents = new ArrayList<>();
        List<HttpRouteInput.Rule> rules = new ArrayList<>();
        List<String> hostnames = spec == null ? List.of() : nonNull(spec.getHostnames());
        if (spec != null) {
            for (ParentReference parent : nonNull(spec.getParentRefs())) {
                parents.add(new HttpRouteInput.ParentRef(parent.getGroup(), parent.getKind(), parent.getNamespace(),
                        required(parent.getName(), where, "spec.parentRefs[].name"), parent.getSectionName(), parent.getPort()));
            }
            for (HTTPRouteRule rule : nonNull(spec.getRules())) {
                List<HttpRouteInput.Match> matches = new ArrayList<>();
                for (HTTPRouteMatch match : nonNull(rule.getMatches())) {
                    HTTPPathMatch path = match.getPath();
                    List<HttpRouteInput.ValueMatch> headers = new ArrayList<>();
                    for (HTTPHeaderMatch header : nonNull(match.getHeaders())) {
                        headers.add(new HttpRouteInput.ValueMatch(header.getType(),
                                required(header.getName(), where, "spec.rules[].matches[].headers[].name"),
                                required(header.getValue(), where, "spec.rules[].matches[].headers[].value")));
                    }
                    List<HttpRouteInput.ValueMatch> queryParams = new ArrayList<>();
                    for (HTTPQueryParamMatch param : nonNull(match.getQueryParams())) {
                        queryParams.add(new HttpRouteInput.ValueMatch(param.getType(),
                                required(param.getName(), where, "spec.rules[].matches[].queryParams[].name"),
                                required(param.getValue(), where, "spec.rules[].matches[].queryParams[].value")));
                    }
                    matches.add(new HttpRouteInput.Match(path == null ? null : path.getType(), path == null ? null : path.getValue(),
                            headers, queryParams, match.getMethod()));
                }
                List<HttpRouteInput.BackendRef> backends = new ArrayList<>();
                for (HTTPBackendRef backend : nonNull(rule.getBackendRefs())) {
                    backends.add(new HttpRouteInput.BackendRef(backend.getGroup(), backend.getKind(), backend.getNamespace(),
                            required(backend.getName(), where, "spec.rules[].backendRefs[].name"), backend.getPort(), backend.getWeight(),
                            filters(where, backend.getFilters())));
                }
                List<String> otherFields = new ArrayList<>();
                if (rule.getSessionPersistence() != null) otherFields.add("sessionPersistence");
                HTTPRouteTimeouts timeouts = rule.getTimeouts();
                rules.add(new HttpRouteInput.Rule(matches, backends, filters(where, rule.getFilters()),
                        timeouts == null ? null : timeouts.getRequest(), timeouts == null ? null : timeouts.getBackendRequest(),
                        rule.getRetry() == null ? null : new HttpRouteInput.Retry(nonNull(rule.getRetry().getCodes()),
                                rule.getRetry().getAttempts(), rule.getRetry().getBackoff()),
                        otherFields));
            }
        }
        return new HttpRouteInput(namespace(meta), meta.getName(), generation(meta), instant(where, meta.getCreationTimestamp()), parents,
                hostnames, rules);
    }

    private static HttpRouteInput.Mirror mirror(String where, HTTPRequestMirrorFilter mirror) {
        BackendObjectReference backend = mirror.getBackendRef();
        if (backend == null) throw new IllegalArgumentException(where + ": filters[].requestMirror.backendRef is required");
        Fraction fraction = mirror.getFraction();
        return new HttpRouteInput.Mirror(new HttpRouteInput.BackendRef(backend.getGroup(), backend.getKind(), backend.getNamespace(),
                required(backend.getName(), where, "filters[].requestMirror.backendRef.name"), backend.getPort(), null),
                mirror.getPercent(), fraction == null ? null : fraction.getNumerator(), fraction == null ? null : fraction.getDenominator());
    }

    private static List<HttpRouteInput.Filter> filters(String where, List<HTTPRouteFilter> filters) {
        List<HttpRouteInput.Filter> out = new ArrayList<>();
        for (HTTPRouteFilter filter : nonNull(filters)) {
            String type = required(filter.getType(), where, "filters[].type");
            HTTPHeaderFilter modifier = switch (type) {
                case "RequestHeaderModifier" -> filter.getRequestHeaderModifier();
                case "ResponseHeaderModifier" -> filter.getResponseHeaderModifier();
                default -> null;
            };
            HTTPRequestRedirectFilter redirect = type.equals("RequestRedirect") ? filter.getRequestRedirect() : null;
            HTTPURLRewriteFilter rewrite = type.equals("URLRewrite") ? filter.getUrlRewrite() : null;
            HTTPRequestMirrorFilter mirror = type.equals("RequestMirror") ? filter.getRequestMirror() : null;
            out.add(new HttpRouteInput.Filter(type,
                    modifier == null ? null : new HttpRouteInput.HeaderModifier(
                            headers(where, modifier.getSet()), headers(where, modifier.getAdd()),
                            nonNull(modifier.getRemove()).stream().map(name -> required(name, where, "filters[].remove[]")).toList()),
                    redirect == null ? null : new HttpRouteInput.Redirect(redirect.getScheme(), redirect.getHostname(),
                            pathModifier(where, redirect.getPath()), redirect.getPort(), redirect.getStatusCode()),
                    rewrite == null ? null : new HttpRouteInput.UrlRewrite(rewrite.getHostname(), pathModifier(where, rewrite.getPath())),
                    mirror == null ? null : mirror(where, mirror)));
        }
        return out;
    }

    private static HttpRouteInput.PathModifier pathModifier(String where, HTTPPathModifier path) {
        if (path == null) return null;
        return new HttpRouteInput.PathModifier(required(path.getType(), where, "filters[].path.type"), path.getReplaceFullPath(),
                path.getReplacePrefixMatch());
    }

    private static List<HttpRouteInput.Header> headers(String where, List<HTTPHeader> headers) {
        return nonNull(headers).stream()
                .map(h -> new HttpRouteInput.Header(required(h.getName(), where, "filters[].name"), orElse(h.getValue(), "")))
                .toList();
    }

    public static boolean isTlsSecret(Secret secret) {
        return ManifestDecoder.TLS_SECRET_TYPE.equals(secret.getType());
    }

    /** Empty for Secrets that are not of type kubernetes.io/tls. */
    public static Optional<TlsSecretInput> tlsSecret(Secret secret) {
        if (!isTlsSecret(secret)) return Optional.empty();
        ObjectMeta meta = secret.getMetadata();
        String where = describe("Secret", meta);
        return Optional.of(new TlsSecretInput(
                namespace(meta),
                meta.getName(),
                secretValue(where, secret, "tls.crt"),
                secretValue(where, secret, "tls.key")));
    }

    public static ServiceInput service(Service service) {
        ObjectMeta meta = service.getMetadata();
        ServiceSpec spec = service.getSpec();
        List<ServiceInput.Port> ports = new ArrayList<>();
        String type = "ClusterIP";
        String externalName = null;
        if (spec != null) {
            for (ServicePort port : nonNull(spec.getPorts())) {
                if (port.getPort() == null) {
                    throw new IllegalArgumentException(describe("Service", meta) + ": spec.ports: port is required");
                }
                ports.add(new ServiceInput.Port(port.getName(), port.getPort(), orElse(port.getProtocol(), "TCP"), port.getAppProtocol()));
            }
            type = orElse(spec.getType(), type);
            externalName = spec.getExternalName();
        }
        return new ServiceInput(namespace(meta), meta.getName(), type, externalName, ports);
    }

    public static EndpointSliceInput endpointSlice(EndpointSlice slice) {
        ObjectMeta meta = slice.getMetadata();
        List<EndpointSliceInput.Port> ports = new ArrayList<>();
        for (EndpointPort port : nonNull(slice.getPorts())) {
            // An absent port means "all ports" in the API; Shardgate routes to named Service ports only, so 0.
            int number = port.getPort() == null ? 0 : port.getPort();
            ports.add(new EndpointSliceInput.Port(port.getName(), number, orElse(port.getProtocol(), "TCP")));
        }
        List<EndpointSliceInput.Endpoint> endpoints = new ArrayList<>();
        for (Endpoint endpoint : nonNull(slice.getEndpoints())) {
            Boolean ready = endpoint.getConditions() == null ? null : endpoint.getConditions().getReady();
            List<String> addresses = nonNull(endpoint.getAddresses());
            addresses.forEach(address -> required(address, describe("EndpointSlice", meta), "endpoints[].addresses[]"));
            endpoints.add(new EndpointSliceInput.Endpoint(addresses, ready == null || ready, endpoint.getZone()));
        }
        return new EndpointSliceInput(
                namespace(meta),
                meta.getName(),
                nonNull(meta.getLabels()).get(ManifestDecoder.SERVICE_NAME_LABEL),
                orElse(slice.getAddressType(), "IPv4"),
                ports,
                endpoints);
    }

    private static IngressInput.Backend backend(String where, IngressBackend backend) {
        if (backend == null) throw new IllegalArgumentException(where + ": backend is required");
        IngressServiceBackend service = backend.getService();
        if (backend.getResource() != null) {
            if (service != null) throw new IllegalArgumentException(where + ": backend: service and resource are mutually exclusive");
            return new IngressInput.Backend(null, null, null, required(backend.getResource().getKind(), where, "backend.resource.kind"));
        }
        if (service == null) throw new IllegalArgumentException(where + ": backend needs a service or a resource");
        ServiceBackendPort port = service.getPort();
        if (port == null) throw new IllegalArgumentException(where + ": backend.service.port is required");
        if ((port.getNumber() == null) == (port.getName() == null)) {
            throw new IllegalArgumentException(where + ": backend.service.port needs exactly one of number and name");
        }
        return new IngressInput.Backend(required(service.getName(), where, "backend.service.name"), port.getNumber(), port.getName(), null);
    }

    private static Map<String, String> keptAnnotations(Map<String, String> all) {
        Map<String, String> kept = new TreeMap<>();
        all.forEach((key, value) -> {
            for (String prefix : KEPT_ANNOTATION_PREFIXES) {
                if (key.startsWith(prefix)) {
                    kept.put(key, value == null ? "" : value);
                    break;
                }
            }
        });
        return kept;
    }

    /** stringData wins over data, as the API server merges it on write (only hand-made objects carry it). */
    private static ByteString secretValue(String where, Secret secret, String key) {
        String plain = nonNull(secret.getStringData()).get(key);
        if (plain != null) return ByteString.copyFrom(plain, StandardCharsets.UTF_8);
        String base64 = nonNull(secret.getData()).get(key);
        if (base64 == null) return ByteString.EMPTY;
        try {
            return ByteString.copyFrom(Base64.getDecoder().decode(withoutWhitespace(base64)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": data." + key + ": invalid base64: " + e.getMessage());
        }
    }

    private static String withoutWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) return s.replaceAll("\\s", "");
        }
        return s;
    }

    private static long generation(ObjectMeta meta) {
        return meta.getGeneration() == null ? 0 : meta.getGeneration();
    }

    private static Instant instant(String where, String timestamp) {
        if (timestamp == null) return Instant.EPOCH;
        try {
            return OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + ": metadata.creationTimestamp: expected an RFC 3339 timestamp, got \"" + timestamp + "\"");
        }
    }

    private static String namespace(ObjectMeta meta) {
        return orElse(meta.getNamespace(), ManifestDecoder.DEFAULT_NAMESPACE);
    }

    private static String describe(String kind, ObjectMeta meta) {
        return kind + " " + (meta.getNamespace() == null ? "" : meta.getNamespace() + "/") + meta.getName();
    }

    /** As the decoder's required strings: present and not empty. */
    private static String required(String value, String where, String field) {
        if (value == null || value.isEmpty()) throw new IllegalArgumentException(where + ": " + field + " is required");
        return value;
    }

    private static int requiredInt(Integer value, String where, String field) {
        if (value == null) throw new IllegalArgumentException(where + ": " + field + " is required");
        return value;
    }

    private static String orElse(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static <K, V> Map<K, V> nonNull(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }
}
