package io.shardgate.translator.ingress;

import io.shardgate.translator.Echo;
import io.shardgate.translator.InputLimits;
import io.shardgate.translator.Problem;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.TranslatorConfig;
import io.shardgate.translator.claim.ClaimKind;
import io.shardgate.translator.claim.DomainOutcome;
import io.shardgate.translator.claim.NamespaceArbiter;
import io.shardgate.translator.domain.ClaimedHosts;
import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.input.IngressInput;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.model.DomainModel;
import io.shardgate.translator.model.PathMatch;
import io.shardgate.translator.model.Rewrite;
import io.shardgate.translator.model.RouteAction;
import io.shardgate.translator.model.RouteModel;
import io.shardgate.translator.tls.CertificateInspector;
import io.shardgate.translator.kube.Hosts;
import io.shardgate.translator.kube.PathRules;
import io.shardgate.translator.kube.Backends;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Ingress as a kind of host claim: the gateway of an Ingress (its IngressClass), its hosts, and the semantics
 * of one domain: arbitrates Ingresses across namespaces, merges the winning Ingresses' paths with the spec's
 * precedence, resolves backends and TLS, applies annotations. Output: a {@link DomainModel}, or the problems
 * that keep the domain from being served at all.
 */
public final class IngressModeler implements ClaimKind<IngressInput> {
    /** What a route answers when it cannot forward: 503, as ingress-nginx does. */
    private static final RouteAction.Unavailable UNAVAILABLE = new RouteAction.Unavailable(503);

    private final TranslatorConfig config;
    private final CertificateInspector inspector;

    public IngressModeler(TranslatorConfig config, CertificateInspector inspector) {
        this.config = config;
        this.inspector = inspector;
    }

    @Override
    public Class<IngressInput> type() {
        return IngressInput.class;
    }

    @Override
    public String displayName() {
        return "Ingress";
    }

    @Override
    public Optional<ClaimedHosts> claimOf(IngressInput ingress, GatewayDefinitions definitions) {
        return GatewaySelector.gatewayOf(ingress, definitions.ingressClasses())
                .map(gateway -> new ClaimedHosts(gateway, IngressHosts.claimedBy(ingress)));
    }

    @Override
    public DomainOutcome model(String host, List<IngressInput> ingresses, List<Problem> conflicts, DomainInputs inputs) {
        NamespaceArbiter.Outcome<IngressInput> claims = NamespaceArbiter.arbitrate(host, ingresses, displayName());
        SortedSet<ObjectRef> sources = new TreeSet<>();
        claims.winners().forEach(i -> sources.add(i.ref()));
        if (claims.winners().isEmpty()) return new DomainOutcome.Unserved(sources, List.of());
        if (!Hosts.isValid(host)) {
            List<Problem> problems = new ArrayList<>(conflicts);
            for (IngressInput ingress : claims.winners()) {
                problems.add(Hosts.invalid(ingress.ref(), host));
            }
            return new DomainOutcome.Unserved(sources, problems);
        }
        return new DomainOutcome.Modelled(new Builder(host, claims, conflicts, inputs).build(sources));
    }

    /** The state of one modelling run. */
    private final class Builder {
        private final String host;
        private final List<IngressInput> winners;
        private final DomainInputs inputs;
        private final SortedSet<Problem> problems = new TreeSet<>();

        Builder(String host, NamespaceArbiter.Outcome<IngressInput> claims, List<Problem> conflicts, DomainInputs inputs) {
            this.host = host;
            this.winners = claims.winners();
            this.inputs = inputs;
            problems.addAll(conflicts);
            problems.addAll(claims.problems());
        }

        DomainModel build(SortedSet<ObjectRef> sources) {
            Instant[] recheckAt = {null};
            Optional<ObjectRef> tls = TlsSelection.select(
                    host, winners, inputs, inspector, config.clock().instant(), problems::add, at -> recheckAt[0] = at);
            Map<PathMatch, RouteModel> routes = new LinkedHashMap<>();
            IngressInput fallbackOwner = null;
            RouteOptions fallbackOptions = null;
            for (IngressInput ingress : winners) {
                int hosts = IngressHosts.distinctHosts(ingress).size();
                if (hosts > InputLimits.MAX_HOSTS_PER_CLAIM) {
                    report(ingress, Reasons.INPUT_TOO_LARGE, "the Ingress names " + hosts + " hosts; only the first "
                            + InputLimits.MAX_HOSTS_PER_CLAIM + " in sorted order are served");
                }
                RouteOptions options = IngressAnnotations.read(ingress, host, config.connectTimeout(), problems::add);
                addPaths(ingress, options, tls.isPresent(), routes);
                if (ingress.defaultBackend() == null) continue;
                if (fallbackOwner == null) {
                    fallbackOwner = ingress;
                    fallbackOptions = options;
                } else {
                    problems.add(new Problem(ingress.ref(), host, Reasons.DUPLICATE_PATH, "defaultBackend ignored for "
                            + host + ": the older Ingress " + fallbackOwner.namespace() + "/" + fallbackOwner.name()
                            + " already provides one"));
                }
            }
            List<RouteModel> ordered = new ArrayList<>(routes.values());
            ordered.sort((a, b) -> PathRules.PRECEDENCE.compare(a.match(), b.match()));
            PathMatch root = PathMatch.prefix("/");
            if (fallbackOwner != null && !routes.containsKey(root)) {
                RouteAction action = action(fallbackOwner, fallbackOwner.defaultBackend(), fallbackOptions, Optional.empty());
                ordered.add(new RouteModel(fallbackOwner.ref(), root, action, serving(fallbackOptions.redirectsHttp(tls.isPresent()))));
            }
            return new DomainModel(host, tls, ordered, sources, List.copyOf(problems), Optional.ofNullable(recheckAt[0]), true);
        }

        private void addPaths(IngressInput ingress, RouteOptions options, boolean hostHasTls, Map<PathMatch, RouteModel> routes) {
            int paths = 0;
            for (IngressInput.Rule rule : ingress.rules()) {
                boolean ofThisHost = Hosts.normalise(rule.host()).equals(host);
                for (IngressInput.Path path : rule.paths()) {
                    if (++paths > InputLimits.MAX_PATHS_PER_CLAIM) {
                        if (ofThisHost) {
                            report(ingress, Reasons.INPUT_TOO_LARGE, "the Ingress has more than " + InputLimits.MAX_PATHS_PER_CLAIM
                                    + " paths; those after the first " + InputLimits.MAX_PATHS_PER_CLAIM + " are not served");
                        }
                        return;
                    }
                    if (!ofThisHost) continue;
                    PathRules.Checked checked = PathRules.check(path.path(), path.pathType(), options.regexPaths());
                    if (checked instanceof PathRules.Checked.Invalid invalid) {
                        report(ingress, Reasons.INVALID_PATH, invalid.why() + "; the path is not served");
                        continue;
                    }
                    PathMatch match = ((PathRules.Checked.Ok) checked).match();
                    RouteModel existing = routes.get(match);
                    if (existing != null) {
                        report(ingress, Reasons.DUPLICATE_PATH, "path " + match + " of " + host + " is already routed by "
                                + (existing.source().equals(ingress.ref())
                                ? "an earlier rule of this Ingress"
                                : "the older Ingress " + existing.source().namespace() + "/" + existing.source().name()));
                        continue;
                    }
                    RouteAction action = action(ingress, path.backend(), options, Optional.of(match));
                    routes.put(match, new RouteModel(ingress.ref(), match, action, serving(options.redirectsHttp(hostHasTls))));
                }
            }
        }

        /** @param match empty for the defaultBackend, which is never rewritten */
        private RouteAction action(IngressInput ingress, IngressInput.Backend backend, RouteOptions options, Optional<PathMatch> match) {
            if (options.failClosed()) return UNAVAILABLE;
            if (backend.resourceKind() != null) {
                report(ingress, Reasons.UNSUPPORTED_BACKEND, "resource backend of kind " + backend.resourceKind()
                        + " is not supported; the route answers " + UNAVAILABLE.status());
                return UNAVAILABLE;
            }
            Backends.Resolution resolution = Backends.resolve(ingress.namespace(), backend.serviceName(), backend.portNumber(),
                    backend.portName(), options.protocol(), inputs, "the route answers " + UNAVAILABLE.status());
            if (resolution instanceof Backends.Resolution.Missing missing) {
                report(ingress, missing.reason(), missing.message());
                return UNAVAILABLE;
            }
            Optional<Rewrite> rewrite = Optional.empty();
            if (match.isPresent() && options.rewriteTarget().isPresent()) {
                Rewrite r = Rewrites.of(match.get(), options.rewriteTarget().get());
                if (r == null) {
                    report(ingress, Reasons.INVALID_ANNOTATION, IngressAnnotations.REWRITE_TARGET + ": " + Echo.quote(options.rewriteTarget().get())
                            + " references a group the path " + match.get() + " does not have; the route answers 503");
                    return UNAVAILABLE;
                }
                rewrite = Optional.of(r);
            }
            return new RouteAction.Forward(((Backends.Resolution.Found) resolution).cluster(), rewrite,
                    options.readTimeout().orElse(config.defaultRouteTimeout()), options.idleTimeout());
        }

        private void report(IngressInput ingress, String reason, String message) {
            problems.add(new Problem(ingress.ref(), host, reason, message));
        }
    }

    /** An Ingress route acts on both virtual hosts, unless plain HTTP redirects to https. */
    private static RouteModel.Serving serving(boolean redirectsHttp) {
        return redirectsHttp ? RouteModel.Serving.HTTPS_REDIRECTING_PLAIN : RouteModel.Serving.BOTH;
    }
}
