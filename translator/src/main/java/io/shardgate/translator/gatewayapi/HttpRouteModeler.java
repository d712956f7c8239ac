package io.shardgate.translator.gatewayapi;

import io.shardgate.translator.Echo;
import io.shardgate.translator.InputLimits;
import io.shardgate.translator.Problem;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.TranslatorConfig;
import io.shardgate.translator.claim.ClaimKind;
import io.shardgate.translator.claim.DomainOutcome;
import io.shardgate.translator.claim.NamespaceArbiter;
import io.shardgate.translator.domain.ClaimedHosts;
import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.kube.Backends;
import io.shardgate.translator.kube.Hosts;
import io.shardgate.translator.kube.ObjectNames;
import io.shardgate.translator.kube.PathRules;
import io.shardgate.translator.model.Conditions;
import io.shardgate.translator.model.DomainModel;
import io.shardgate.translator.model.HeaderEdits;
import io.shardgate.translator.model.Forwarding;
import io.shardgate.translator.model.Mirror;
import io.shardgate.translator.model.Retry;
import io.shardgate.translator.model.PathMatch;
import io.shardgate.translator.model.Rewrite;
import io.shardgate.translator.model.RouteAction;
import io.shardgate.translator.model.RouteModel;
import io.shardgate.translator.tls.CertificateInspector;
import java.time.Duration;
import java.time.Instant;
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
    private static final String UNUSABLE = "the requests it would draw are answered " + UNAVAILABLE.status();
    private static final String NOT_MIRRORED = "requests are not mirrored to it";
    private static final HttpRouteInput.Match EVERY_PATH = new HttpRouteInput.Match("PathPrefix", "/");

    private final TranslatorConfig config;
    private final CertificateInspector inspector;

    public HttpRouteModeler(TranslatorConfig config, CertificateInspector inspector) {
        this.config = config;
        this.inspector = inspector;
    }

    @Override
    public Class<HttpRouteInput> type() {
        return HttpRouteInput.class;
    }

    @Override
    public String displayName() {
        return "HTTPRoute";
    }

    /**
     * The first Shardgate gateway the route attaches to (attachments to another Shardgate gateway are not served), and
     * the hosts the route answers on the listeners of that gateway it attaches to.
     */
    @Override
    public Optional<ClaimedHosts> claimOf(HttpRouteInput route, GatewayDefinitions definitions) {
        List<Attachments.Attachment> attachments = Attachments.of(route, definitions);
        if (attachments.isEmpty()) return Optional.empty();
        String gateway = attachments.get(0).gateway();
        SortedSet<String> hosts = new TreeSet<>();
        for (Attachments.Attachment attachment : attachments) {
            if (attachment.gateway().equals(gateway)) {
                hosts.addAll(ListenerHostnames.intersect(attachment.listener().hostname(), route.hostnames()));
            }
        }
        return Optional.of(new ClaimedHosts(gateway, hosts.stream().limit(InputLimits.MAX_HOSTS_PER_CLAIM).toList()));
    }

    @Override
    public DomainOutcome model(String host, List<HttpRouteInput> claims, List<Problem> conflicts, DomainInputs inputs) {
        // Tenants never share a host, even where a listener admits several namespaces (docs/gateway-api.md).
        NamespaceArbiter.Outcome<HttpRouteInput> tenancy = NamespaceArbiter.arbitrate(host, claims, displayName());
        List<HttpRouteInput> routes = tenancy.winners();
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
        problems.addAll(tenancy.problems());
        List<HttpRouteInput> onPlain = new ArrayList<>();
        List<HttpRouteInput> onTls = new ArrayList<>();
        List<Attachments.Attachment> tlsListeners = new ArrayList<>();
        for (HttpRouteInput route : routes) {
            List<Attachments.Attachment> reaching = Attachments.reaching(host, route, inputs);
            if (reaching.stream().anyMatch(a -> !a.isTls())) onPlain.add(route);
            if (reaching.stream().anyMatch(Attachments.Attachment::isTls)) onTls.add(route);
            reaching.stream().filter(Attachments.Attachment::isTls).forEach(tlsListeners::add);
        }
        Instant[] recheckAt = {null};
        Optional<ObjectRef> certificate = ListenerCertificates.select(host, tlsListeners, inputs, inspector, config.clock().instant(),
                problems::add, at -> recheckAt[0] = at);
        if (certificate.isEmpty()) onTls.clear();
        List<RouteModel> plain = routeModels(host, onPlain, problems, inputs);
        // Routes reaching the host through both protocols (the common case) are modelled, and their backends read, once.
        List<RouteModel> tls = onTls.equals(onPlain) ? plain : routeModels(host, onTls, problems, inputs);
        List<RouteModel> merged = merge(plain, tls);
        // Nothing to serve: requests for the host find the catch-all, as for a host no route names.
        if (merged.isEmpty()) return new DomainOutcome.Unserved(sources, List.copyOf(problems));
        return new DomainOutcome.Modelled(new DomainModel(host, certificate, merged, sources, List.copyOf(problems),
                Optional.ofNullable(recheckAt[0]), false));
    }

    /**
     * The problems of the route's own rules, whichever host they serve: its matches, filters, timeouts and backends as if
     * it were alone on a host. What its status says of its references and of its rules; conflicts with other routes
     * are a host's, and are reported per host.
     */
    List<Problem> ruleProblems(HttpRouteInput route, DomainInputs inputs) {
        String host = route.hostnames().isEmpty() ? Hosts.CATCH_ALL : Hosts.normalise(route.hostnames().get(0));
        SortedSet<Problem> problems = new TreeSet<>();
        addMatches(host, route, new LinkedHashMap<>(), problems, inputs);
        return problems.stream().filter(p -> !p.reason().equals(Reasons.DUPLICATE_PATH)).toList();
    }

    /** The routes of one listener protocol, in the specification's precedence, the older route winning a match. */
    private List<RouteModel> routeModels(String host, List<HttpRouteInput> routes, SortedSet<Problem> problems, DomainInputs inputs) {
        Map<MatchKey, RouteModel> byMatch = new LinkedHashMap<>();
        for (HttpRouteInput route : routes) addMatches(host, route, byMatch, problems, inputs);
        List<RouteModel> ordered = new ArrayList<>(byMatch.values());
        ordered.sort(MatchConditions.PRECEDENCE);
        return ordered;
    }

    /**
     * One list for both virtual hosts: a route the same on both serves both, the others one. Each virtual host's
     * routes stay in precedence order, as the merged list is sorted by it too.
     */
    private static List<RouteModel> merge(List<RouteModel> plain, List<RouteModel> tls) {
        List<RouteModel> tlsOnly = new ArrayList<>(tls);
        List<RouteModel> merged = new ArrayList<>(plain.size() + tls.size());
        for (RouteModel route : plain) {
            merged.add(tlsOnly.remove(route) ? route.withServing(RouteModel.Serving.BOTH) : route);
        }
        tlsOnly.forEach(route -> merged.add(route.withServing(RouteModel.Serving.HTTPS_ONLY)));
        merged.sort(MatchConditions.PRECEDENCE);
        return merged;
    }

    /** What makes two matches identical: path and conditions. */
    private record MatchKey(PathMatch path, Conditions conditions) {
        @Override
        public String toString() {
            return path + (conditions.equals(Conditions.NONE) ? "" : " with " + conditions);
        }
    }

    /** Adds the route's matches that no older route (or earlier rule) has already; routes are given oldest first. */
    private void addMatches(String host, HttpRouteInput route, Map<MatchKey, RouteModel> byMatch, SortedSet<Problem> problems,
            DomainInputs inputs) {
        long hostnames = route.hostnames().stream().map(Hosts::normalise).distinct().count();
        if (hostnames > InputLimits.MAX_HOSTS_PER_CLAIM) {
            problems.add(new Problem(route.ref(), host, Reasons.INPUT_TOO_LARGE, "the HTTPRoute names " + hostnames
                    + " hostnames; only the first " + InputLimits.MAX_HOSTS_PER_CLAIM + " of its hosts in sorted order are served"));
        }
        int matches = 0;
        for (HttpRouteInput.Rule rule : route.rules()) {
            Handling handling = null;
            for (HttpRouteInput.Match written : rule.matches().isEmpty() ? List.of(EVERY_PATH) : rule.matches()) {
                if (++matches > InputLimits.MAX_PATHS_PER_CLAIM) {
                    problems.add(new Problem(route.ref(), host, Reasons.INPUT_TOO_LARGE, "the HTTPRoute has more than "
                            + InputLimits.MAX_PATHS_PER_CLAIM + " matches; those after the first " + InputLimits.MAX_PATHS_PER_CLAIM
                            + " are not served"));
                    return;
                }
                Optional<PathMatch> path = pathMatch(host, route, written, problems);
                if (path.isEmpty()) continue;
                MatchConditions.Checked conditions = MatchConditions.check(written);
                if (conditions instanceof MatchConditions.Checked.Invalid invalid) {
                    problems.add(new Problem(route.ref(), host, Reasons.INVALID_MATCH, invalid.why() + "; the match is not served"));
                    continue;
                }
                MatchKey match = new MatchKey(path.get(), ((MatchConditions.Checked.Ok) conditions).conditions());
                RouteModel existing = byMatch.get(match);
                if (existing != null) {
                    problems.add(new Problem(route.ref(), host, Reasons.DUPLICATE_PATH, "match " + match + " of " + host
                            + " is already matched by " + (existing.source().equals(route.ref())
                            ? "an earlier rule of this HTTPRoute"
                            : "the older HTTPRoute " + existing.source().namespace() + "/" + existing.source().name())));
                    continue;
                }
                if (handling == null) handling = handling(host, route, rule, problems, inputs);
                byMatch.put(match, new RouteModel(route.ref(), match.path(), match.conditions(), handling.request(),
                        handling.response(), handling.forwarding(), handling.actionFor(match.path(), host, route, problems), RouteModel.Serving.PLAIN_ONLY));
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

    /**
     * What a rule does with what it matches: 500 when it has a filter not supported yet (served without it, it would
     * do something else than asked) or one that cannot be applied; else its header edits and its backends.
     */
    private Handling handling(String host, HttpRouteInput route, HttpRouteInput.Rule rule, SortedSet<Problem> problems,
            DomainInputs inputs) {
        for (String field : rule.otherFields()) {
            problems.add(new Problem(route.ref(), host, Reasons.UNSUPPORTED_FIELD, "rule field " + Echo.quote(field)
                    + " is not supported yet and is ignored"));
        }
        List<String> unsupported = new ArrayList<>();
        rule.filters().stream().map(HttpRouteInput.Filter::type)
                .filter(type -> !HeaderFilters.isHeaderModifier(type) && !UrlFilters.isUrlFilter(type) && !MirrorFilters.isMirror(type))
                .forEach(unsupported::add);
        rule.backendRefs().forEach(backend -> backend.filters().stream().map(HttpRouteInput.Filter::type)
                .filter(type -> !HeaderFilters.isHeaderModifier(type)).forEach(unsupported::add));
        if (!unsupported.isEmpty()) {
            problems.add(new Problem(route.ref(), host, Reasons.UNSUPPORTED_FIELD, "filters " + Echo.quote(String.join(", ", unsupported))
                    + " are not supported yet; the rule answers " + UNAVAILABLE.status()));
            return Handling.of(UNAVAILABLE);
        }
        HeaderFilters.Checked edits = HeaderFilters.check(
                rule.filters().stream().filter(f -> HeaderFilters.isHeaderModifier(f.type())).toList());
        UrlFilters.Checked url = UrlFilters.check(rule.filters().stream().filter(f -> UrlFilters.isUrlFilter(f.type())).toList());
        List<HttpRouteInput.Filter> mirrorFilters = rule.filters().stream().filter(f -> MirrorFilters.isMirror(f.type())).toList();
        List<MirrorFilters.Checked> mirrorChecks = mirrorFilters.stream().map(MirrorFilters::check).toList();
        String invalid = edits instanceof HeaderFilters.Checked.Invalid i ? i.why()
                : url instanceof UrlFilters.Checked.Invalid i ? i.why()
                : mirrorChecks.stream().filter(MirrorFilters.Checked.Invalid.class::isInstance)
                        .map(c -> ((MirrorFilters.Checked.Invalid) c).why()).findFirst().orElse(null);
        if (invalid != null) {
            problems.add(new Problem(route.ref(), host, Reasons.INVALID_FILTER, invalid + "; the rule answers " + UNAVAILABLE.status()));
            return Handling.of(UNAVAILABLE);
        }
        HeaderFilters.Checked.Ok headers = (HeaderFilters.Checked.Ok) edits;
        UrlFilters.Checked.Ok urls = (UrlFilters.Checked.Ok) url;
        // A redirect answers by itself: the rule's backends are not used, nor its mirrors and retries.
        Optional<Retry> retry = urls.redirect().isPresent() ? Optional.empty() : retry(host, route, rule, problems);
        RouteAction action = urls.redirect().isPresent() ? UNAVAILABLE : action(host, route, rule, retry.isPresent(), problems, inputs);
        List<Mirror> mirrors = new ArrayList<>();
        for (int i = 0; i < mirrorFilters.size() && urls.redirect().isEmpty(); i++) {
            int perMillion = ((MirrorFilters.Checked.Ok) mirrorChecks.get(i)).perMillion();
            cluster(host, route, mirrorFilters.get(i).mirror().backend(), NOT_MIRRORED, problems, inputs)
                    .ifPresent(cluster -> mirrors.add(new Mirror(cluster, perMillion)));
        }
        return new Handling(action, headers.request(), headers.response(), new Forwarding(mirrors, retry), urls.redirect(),
                urls.rewrite());
    }

    /** What a rule does with what it matches: its action, or its redirect; the edits its filters make; its mirrors. */
    private record Handling(RouteAction action, HeaderEdits request, HeaderEdits response, Forwarding forwarding,
            Optional<HttpRouteInput.Redirect> redirect, Optional<HttpRouteInput.UrlRewrite> rewrite) {
        static Handling of(RouteAction action) {
            return new Handling(action, HeaderEdits.NONE, HeaderEdits.NONE, Forwarding.NONE, Optional.empty(), Optional.empty());
        }

        /** The action for one of the rule's matches: a path modifier applies to each match's own path. */
        RouteAction actionFor(PathMatch path, String host, HttpRouteInput route, SortedSet<Problem> problems) {
            if (redirect.isEmpty() && rewrite.isEmpty()) return action;
            HttpRouteInput.PathModifier modifier = redirect.isPresent() ? redirect.get().path() : rewrite.get().path();
            UrlFilters.PathChange change = UrlFilters.pathFor(modifier, path);
            if (change instanceof UrlFilters.PathChange.Invalid invalid) {
                problems.add(new Problem(route.ref(), host, Reasons.INVALID_FILTER, invalid.why() + "; the match answers "
                        + UNAVAILABLE.status()));
                return UNAVAILABLE;
            }
            Optional<Rewrite> pathRewrite = ((UrlFilters.PathChange.Ok) change).rewrite();
            if (redirect.isPresent()) {
                HttpRouteInput.Redirect r = redirect.get();
                return new RouteAction.Redirect(Optional.ofNullable(r.scheme()), Optional.ofNullable(r.hostname()),
                        Optional.ofNullable(r.port()), pathRewrite, r.statusCode() == null ? 302 : r.statusCode());
            }
            Optional<String> hostRewrite = Optional.ofNullable(rewrite.get().hostname());
            if (action instanceof RouteAction.Forward f) {
                return new RouteAction.Forward(f.cluster(), pathRewrite, f.timeout(), f.idleTimeout(), hostRewrite);
            }
            if (action instanceof RouteAction.Split split) {
                return new RouteAction.Split(split.shares(), split.timeout(), pathRewrite, hostRewrite);
            }
            return action;
        }
    }

    /**
     * Where a rule sends what it matches: its backendRefs, split by weight (1 when unset; a weight of 0 draws nothing).
     * The requests an unusable backend would draw are answered 500, and all of them when none is usable.
     */
    private RouteAction action(String host, HttpRouteInput route, HttpRouteInput.Rule rule, boolean retries,
            SortedSet<Problem> problems, DomainInputs inputs) {
        Duration timeout = timeout(host, route, rule, retries, problems);
        List<RouteAction.Share> shares = new ArrayList<>();
        for (HttpRouteInput.BackendRef backend : rule.backendRefs()) {
            int weight = backend.weight() == null ? 1 : backend.weight();
            if (weight <= 0) continue;
            Optional<ClusterKey> cluster = cluster(host, route, backend, UNUSABLE, problems, inputs);
            HeaderFilters.Checked edits = HeaderFilters.check(backend.filters());
            if (edits instanceof HeaderFilters.Checked.Invalid invalid) {
                problems.add(new Problem(route.ref(), host, Reasons.INVALID_FILTER, "backendRef " + Echo.quote(backend.name()) + ": "
                        + invalid.why() + "; " + UNUSABLE));
                shares.add(new RouteAction.Share(Optional.empty(), weight));
                continue;
            }
            HeaderFilters.Checked.Ok ok = (HeaderFilters.Checked.Ok) edits;
            shares.add(new RouteAction.Share(cluster, weight, ok.request(), ok.response()));
        }
        if (shares.stream().allMatch(share -> share.cluster().isEmpty())) return UNAVAILABLE;
        // A backend's own header edits need a weighted cluster of its own, even alone.
        if (shares.size() == 1 && !shares.get(0).editsHeaders()) {
            return new RouteAction.Forward(shares.get(0).cluster().get(), Optional.empty(), timeout, Optional.empty());
        }
        return new RouteAction.Split(shares, timeout);
    }

    /**
     * The rule's timeout (zero: none), or the node's default when it sets none or an invalid one (reported). With
     * retries, backendRequest bounds each try instead ({@link #retry}).
     */
    private Duration timeout(String host, HttpRouteInput route, HttpRouteInput.Rule rule, boolean retries, SortedSet<Problem> problems) {
        Optional<Duration> request = timeout(host, route, "request", rule.requestTimeout(), problems);
        Optional<Duration> backend = timeout(host, route, "backendRequest", rule.backendTimeout(), problems);
        return (retries ? request : RouteTimeouts.tighter(request, backend)).orElse(config.defaultRouteTimeout());
    }

    /** The rule's retries, or empty when it sets none or ones that cannot be applied (reported). */
    private static Optional<Retry> retry(String host, HttpRouteInput route, HttpRouteInput.Rule rule, SortedSet<Problem> problems) {
        HttpRouteInput.Retry written = rule.retry();
        if (written == null) return Optional.empty();
        String invalid = null;
        Optional<Duration> backoff = written.backoff() == null ? Optional.empty() : RouteTimeouts.parse(written.backoff());
        if (written.attempts() != null && written.attempts() < 0) {
            invalid = "retry.attempts " + written.attempts() + " is negative";
        } else if (written.codes().stream().anyMatch(code -> code == null || code < 400 || code > 599)) {
            invalid = "retry.codes " + written.codes() + " has a code outside 400..599";
        } else if (written.backoff() != null && backoff.filter(b -> b.toMillis() >= 1).isEmpty()) {
            invalid = "retry.backoff " + Echo.quote(written.backoff()) + " is not a Gateway API duration of at least 1ms";
        }
        if (invalid != null) {
            problems.add(new Problem(route.ref(), host, Reasons.INVALID_RETRY, invalid + "; the rule is served without retries"));
            return Optional.empty();
        }
        Optional<Duration> perTry = rule.backendTimeout() == null ? Optional.empty()
                : RouteTimeouts.parse(rule.backendTimeout()).filter(timeout -> !timeout.isZero());
        return Optional.of(new Retry(written.codes().stream().distinct().sorted().toList(), Optional.ofNullable(written.attempts()),
                backoff, perTry));
    }

    private static Optional<Duration> timeout(String host, HttpRouteInput route, String field, String written,
            SortedSet<Problem> problems) {
        if (written == null) return Optional.empty();
        Optional<Duration> parsed = RouteTimeouts.parse(written);
        if (parsed.isEmpty()) {
            problems.add(new Problem(route.ref(), host, Reasons.INVALID_TIMEOUT, "timeouts." + field + " " + Echo.quote(written)
                    + " is not a Gateway API duration (such as 10s, 500ms or 1h30m); the node's default applies"));
        }
        return parsed;
    }

    /**
     * The backend's cluster, or empty (and reported) when it cannot be used.
     *
     * @param consequence what happens meanwhile, the end of every message
     */
    private static Optional<ClusterKey> cluster(String host, HttpRouteInput route, HttpRouteInput.BackendRef backend,
            String consequence, SortedSet<Problem> problems, DomainInputs inputs) {
        boolean coreGroup = backend.group() == null || backend.group().isEmpty();
        if (!coreGroup || (backend.kind() != null && !backend.kind().equals("Service"))) {
            return unusable(host, route, problems, consequence, Reasons.UNSUPPORTED_BACKEND, "backendRef of kind "
                    + Echo.quote((coreGroup ? "" : backend.group() + "/") + backend.kind()) + " is not supported (Service only)");
        }
        String namespace = backend.namespace() == null ? route.namespace() : backend.namespace();
        if (!ObjectNames.isValid(namespace, backend.name())) {
            return unusable(host, route, problems, consequence, Reasons.SERVICE_NOT_FOUND, "backendRef names Service " + Echo.quote(backend.name())
                    + " in namespace " + Echo.quote(namespace) + ", which no Kubernetes object can be named");
        }
        if (!ReferenceGrants.permits(inputs, "HTTPRoute", route.namespace(), backend.group(), "Service", namespace, backend.name())) {
            return unusable(host, route, problems, consequence, Reasons.REF_NOT_PERMITTED, "backendRef to Service " + namespace + "/"
                    + backend.name() + " in another namespace is not permitted: no ReferenceGrant in " + namespace
                    + " grants HTTPRoutes of " + route.namespace() + " access to it");
        }
        if (backend.port() == null) {
            return unusable(host, route, problems, consequence, Reasons.PORT_NOT_FOUND, "backendRef to Service " + namespace + "/"
                    + backend.name() + " has no port");
        }
        Backends.Resolution resolution = Backends.resolve(namespace, backend.name(), backend.port(), null,
                ClusterKey.UpstreamProtocol.HTTP, inputs, consequence);
        if (resolution instanceof Backends.Resolution.Missing missing) {
            problems.add(new Problem(route.ref(), host, missing.reason(), missing.message()));
            return Optional.empty();
        }
        return Optional.of(((Backends.Resolution.Found) resolution).cluster());
    }

    private static Optional<ClusterKey> unusable(String host, HttpRouteInput route, SortedSet<Problem> problems, String consequence,
            String reason, String why) {
        problems.add(new Problem(route.ref(), host, reason, why + "; " + consequence));
        return Optional.empty();
    }
}
