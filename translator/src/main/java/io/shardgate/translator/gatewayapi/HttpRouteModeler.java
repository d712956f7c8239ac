package io.shardgate.translator.gatewayapi;

import io.shardgate.translator.Echo;
import io.shardgate.translator.InputLimits;
import io.shardgate.translator.Problem;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.TranslatorConfig;
import io.shardgate.translator.claim.ClaimKind;
import io.shardgate.translator.claim.DomainOutcome;
import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.kube.Backends;
import io.shardgate.translator.kube.Hosts;
import io.shardgate.translator.kube.PathRules;
import io.shardgate.translator.model.DomainModel;
import io.shardgate.translator.model.PathMatch;
import io.shardgate.translator.model.RouteAction;
import io.shardgate.translator.model.RouteModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * HTTPRoute as a kind of host claim (docs/gateway-api.md): the gateway of a route (the GatewayClass of the
 * Gateways it attaches to), the hosts it answers on their listeners, and one domain's routes: path matches in the
 * specification's precedence, the older route winning an identical match, each rule forwarding to its Service.
 */
public final class HttpRouteModeler implements ClaimKind<HttpRouteInput> {
    /** What a rule answers when it cannot forward: 500, as the specification says. */
    private static final RouteAction.Unavailable UNAVAILABLE = new RouteAction.Unavailable(500);
    private static final HttpRouteInput.Match EVERY_PATH = new HttpRouteInput.Match("PathPrefix", "/");

    private final TranslatorConfig config;

    public HttpRouteModeler(TranslatorConfig config) {
        this.config = config;
    }

    @Override
    public Class<HttpRouteInput> type() {
        return HttpRouteInput.class;
    }

    @Override
    public String displayName() {
        return "HTTPRoute";
    }

    /** The first Shardgate gateway the route attaches to; attachments to another Shardgate gateway are not served. */
    @Override
    public Optional<String> gatewayOf(HttpRouteInput route, GatewayDefinitions definitions) {
        return Attachments.of(route, definitions).stream().map(Attachments.Attachment::gateway).findFirst();
    }

    @Override
    public List<String> hostsOf(HttpRouteInput route, GatewayDefinitions definitions) {
        Optional<String> gateway = gatewayOf(route, definitions);
        if (gateway.isEmpty()) return List.of();
        SortedSet<String> hosts = new TreeSet<>();
        for (Attachments.Attachment attachment : Attachments.of(route, definitions)) {
            if (attachment.gateway().equals(gateway.get())) {
                hosts.addAll(ListenerHostnames.intersect(attachment.listener().hostname(), route.hostnames()));
            }
        }
        return hosts.stream().limit(InputLimits.MAX_HOSTS_PER_CLAIM).toList();
    }

    @Override
    public DomainOutcome model(String host, List<HttpRouteInput> routes, List<Problem> conflicts, DomainInputs inputs) {
        SortedSet<ObjectRef> sources = new TreeSet<>();
        routes.forEach(r -> sources.add(r.ref()));
        if (routes.isEmpty()) return new DomainOutcome.Unserved(sources, List.of());
        if (!Hosts.isValid(host)) {
            List<Problem> problems = new ArrayList<>(conflicts);
            for (HttpRouteInput route : routes) {
                problems.add(Hosts.invalid(route.ref(), host));
            }
            return new DomainOutcome.Unserved(sources, problems);
        }
        SortedSet<Problem> problems = new TreeSet<>(conflicts);
        Map<PathMatch, RouteModel> byMatch = new LinkedHashMap<>();
        for (HttpRouteInput route : routes) addMatches(host, route, byMatch, problems, inputs);
        List<RouteModel> ordered = new ArrayList<>(byMatch.values());
        ordered.sort((a, b) -> PathRules.PRECEDENCE.compare(a.match(), b.match()));
        return new DomainOutcome.Modelled(new DomainModel(host, Optional.empty(), ordered, sources, List.copyOf(problems),
                Optional.empty(), false));
    }

    /** The route's matches that no older route (or earlier rule) already has; routes are given oldest first. */
    private void addMatches(String host, HttpRouteInput route, Map<PathMatch, RouteModel> byMatch, SortedSet<Problem> problems,
            DomainInputs inputs) {
        int matches = 0;
        for (HttpRouteInput.Rule rule : route.rules()) {
            RouteAction action = null;
            for (HttpRouteInput.Match written : rule.matches().isEmpty() ? List.of(EVERY_PATH) : rule.matches()) {
                if (++matches > InputLimits.MAX_PATHS_PER_CLAIM) {
                    problems.add(new Problem(route.ref(), host, Reasons.INPUT_TOO_LARGE, "the HTTPRoute has more than "
                            + InputLimits.MAX_PATHS_PER_CLAIM + " matches; those after the first " + InputLimits.MAX_PATHS_PER_CLAIM
                            + " are not served"));
                    return;
                }
                Optional<PathMatch> match = pathMatch(host, route, written, problems);
                if (match.isEmpty()) continue;
                RouteModel existing = byMatch.get(match.get());
                if (existing != null) {
                    problems.add(new Problem(route.ref(), host, Reasons.DUPLICATE_PATH, "path " + match.get() + " of " + host
                            + " is already matched by " + (existing.source().equals(route.ref())
                            ? "an earlier rule of this HTTPRoute"
                            : "the older HTTPRoute " + existing.source().namespace() + "/" + existing.source().name())));
                    continue;
                }
                if (action == null) action = action(host, route, rule, problems, inputs);
                byMatch.put(match.get(), new RouteModel(route.ref(), match.get(), action, false));
            }
        }
    }

    private static Optional<PathMatch> pathMatch(String host, HttpRouteInput route, HttpRouteInput.Match written,
            SortedSet<Problem> problems) {
        String type = written.pathType() == null ? "PathPrefix" : written.pathType();
        String value = written.pathValue() == null ? "/" : written.pathValue();
        String kubernetesType = switch (type) {
            case "Exact" -> PathRules.EXACT;
            case "PathPrefix" -> PathRules.PREFIX;
            default -> null;
        };
        if (kubernetesType == null) {
            String why = type.equals("RegularExpression")
                    ? "RegularExpression path matches are not supported yet"
                    : "unknown path match type " + Echo.quote(type) + " (Exact or PathPrefix)";
            problems.add(new Problem(route.ref(), host, Reasons.INVALID_PATH, why + "; the match is not served"));
            return Optional.empty();
        }
        PathRules.Checked checked = PathRules.check(value, kubernetesType, false);
        if (checked instanceof PathRules.Checked.Invalid invalid) {
            problems.add(new Problem(route.ref(), host, Reasons.INVALID_PATH, invalid.why() + "; the match is not served"));
            return Optional.empty();
        }
        return Optional.of(((PathRules.Checked.Ok) checked).match());
    }

    /** Where a rule sends what it matches: its one Service backendRef, or 500 when it has none usable. */
    private RouteAction action(String host, HttpRouteInput route, HttpRouteInput.Rule rule, SortedSet<Problem> problems,
            DomainInputs inputs) {
        List<HttpRouteInput.BackendRef> backends = rule.backendRefs();
        if (backends.isEmpty()) return UNAVAILABLE;
        if (backends.size() > 1) {
            return unavailable(host, route, problems, Reasons.UNSUPPORTED_BACKEND, "a rule with " + backends.size()
                    + " backendRefs (weighted traffic splitting) is not supported yet");
        }
        HttpRouteInput.BackendRef backend = backends.get(0);
        boolean coreGroup = backend.group() == null || backend.group().isEmpty();
        if (!coreGroup || (backend.kind() != null && !backend.kind().equals("Service"))) {
            return unavailable(host, route, problems, Reasons.UNSUPPORTED_BACKEND, "backendRef of kind "
                    + Echo.quote((coreGroup ? "" : backend.group() + "/") + backend.kind()) + " is not supported (Service only)");
        }
        String namespace = backend.namespace() == null ? route.namespace() : backend.namespace();
        if (!namespace.equals(route.namespace())) {
            return unavailable(host, route, problems, Reasons.REF_NOT_PERMITTED, "backendRef to Service " + namespace + "/"
                    + backend.name() + " in another namespace needs a ReferenceGrant, which Shardgate does not read yet");
        }
        if (backend.port() == null) {
            return unavailable(host, route, problems, Reasons.PORT_NOT_FOUND, "backendRef to Service " + namespace + "/"
                    + backend.name() + " has no port");
        }
        if (backend.weight() != null && backend.weight() == 0) return UNAVAILABLE;
        Backends.Resolution resolution = Backends.resolve(namespace, backend.name(), backend.port(), null,
                ClusterKey.UpstreamProtocol.HTTP, inputs, UNAVAILABLE.status());
        if (resolution instanceof Backends.Resolution.Missing missing) {
            problems.add(new Problem(route.ref(), host, missing.reason(), missing.message()));
            return UNAVAILABLE;
        }
        return new RouteAction.Forward(((Backends.Resolution.Found) resolution).cluster(), Optional.empty(),
                config.defaultRouteTimeout(), Optional.empty());
    }

    private static RouteAction unavailable(String host, HttpRouteInput route, SortedSet<Problem> problems, String reason, String why) {
        problems.add(new Problem(route.ref(), host, reason, why + "; the rule answers " + UNAVAILABLE.status()));
        return UNAVAILABLE;
    }
}
