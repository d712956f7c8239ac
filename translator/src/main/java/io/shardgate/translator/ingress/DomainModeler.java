package io.shardgate.translator.ingress;

import io.shardgate.translator.Echo;
import io.shardgate.translator.InputLimits;
import io.shardgate.translator.Problem;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.TranslatorConfig;
import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.input.IngressInput;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.model.DomainModel;
import io.shardgate.translator.model.PathMatch;
import io.shardgate.translator.model.Rewrite;
import io.shardgate.translator.model.RouteAction;
import io.shardgate.translator.model.RouteModel;
import io.shardgate.translator.tls.CertificateInspector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Ingress semantics for one domain: arbitrates claims, merges the winning Ingresses' paths with the spec's
 * precedence, resolves backends and TLS, applies annotations. Output: a {@link DomainModel}, or the
 * problems that keep the domain from being served at all.
 */
public final class DomainModeler {

    /** Either a model to serve or the reasons there is none. */
    public sealed interface Outcome {
        record Modelled(DomainModel model) implements Outcome {}

        /** @param problems empty when simply no Ingress claims the host any more */
        record Unserved(SortedSet<ObjectRef> sources, List<Problem> problems) implements Outcome {}
    }

    private final TranslatorConfig config;
    private final CertificateInspector inspector;

    public DomainModeler(TranslatorConfig config, CertificateInspector inspector) {
        this.config = config;
        this.inspector = inspector;
    }

    /** @param host normalised */
    public Outcome model(String host, DomainInputs inputs) {
        ClaimArbiter.Outcome claims = ClaimArbiter.arbitrate(host, inputs.claims(host));
        SortedSet<ObjectRef> sources = new TreeSet<>();
        claims.winners().forEach(i -> sources.add(i.ref()));
        if (claims.winners().isEmpty()) return new Outcome.Unserved(sources, List.of());
        if (!Hosts.isValid(host)) {
            List<Problem> problems = new ArrayList<>();
            for (IngressInput ingress : claims.winners()) {
                problems.add(new Problem(ingress.ref(), host, Reasons.INVALID_HOST, "host " + Echo.quote(host)
                        + " is not a valid DNS name (RFC 1123, not an IP address, * only as the whole leftmost label and"
                        + " followed by at most " + InputLimits.MAX_WILDCARD_SUFFIX_LABELS + " labels); not served"));
            }
            return new Outcome.Unserved(sources, problems);
        }
        return new Outcome.Modelled(new Builder(host, claims, inputs).build(sources));
    }

    /** The state of one modelling run. */
    private final class Builder {
        private final String host;
        private final List<IngressInput> winners;
        private final DomainInputs inputs;
        private final SortedSet<Problem> problems = new TreeSet<>();

        Builder(String host, ClaimArbiter.Outcome claims, DomainInputs inputs) {
            this.host = host;
            this.winners = claims.winners();
            this.inputs = inputs;
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
                int hosts = Hosts.distinctHosts(ingress).size();
                if (hosts > InputLimits.MAX_HOSTS_PER_INGRESS) {
                    report(ingress, Reasons.INPUT_TOO_LARGE, "the Ingress names " + hosts + " hosts; only the first "
                            + InputLimits.MAX_HOSTS_PER_INGRESS + " in sorted order are served");
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
                ordered.add(new RouteModel(fallbackOwner.ref(), root, action, fallbackOptions.redirectsHttp(tls.isPresent())));
            }
            return new DomainModel(host, tls, ordered, sources, List.copyOf(problems), Optional.ofNullable(recheckAt[0]));
        }

        private void addPaths(IngressInput ingress, RouteOptions options, boolean hostHasTls, Map<PathMatch, RouteModel> routes) {
            int paths = 0;
            for (IngressInput.Rule rule : ingress.rules()) {
                boolean ofThisHost = Hosts.normalise(rule.host()).equals(host);
                for (IngressInput.Path path : rule.paths()) {
                    if (++paths > InputLimits.MAX_PATHS_PER_INGRESS) {
                        if (ofThisHost) {
                            report(ingress, Reasons.INPUT_TOO_LARGE, "the Ingress has more than " + InputLimits.MAX_PATHS_PER_INGRESS
                                    + " paths; those after the first " + InputLimits.MAX_PATHS_PER_INGRESS + " are not served");
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
                    routes.put(match, new RouteModel(ingress.ref(), match, action, options.redirectsHttp(hostHasTls)));
                }
            }
        }

        /** @param match empty for the defaultBackend, which is never rewritten */
        private RouteAction action(IngressInput ingress, IngressInput.Backend backend, RouteOptions options, Optional<PathMatch> match) {
            if (options.failClosed()) return new RouteAction.Unavailable();
            Backends.Resolution resolution = Backends.resolve(backend, ingress.namespace(), options.protocol(), inputs);
            if (resolution instanceof Backends.Resolution.Missing missing) {
                report(ingress, missing.reason(), missing.message());
                return new RouteAction.Unavailable();
            }
            Optional<Rewrite> rewrite = Optional.empty();
            if (match.isPresent() && options.rewriteTarget().isPresent()) {
                Rewrite r = Rewrites.of(match.get(), options.rewriteTarget().get());
                if (r == null) {
                    report(ingress, Reasons.INVALID_ANNOTATION, IngressAnnotations.REWRITE_TARGET + ": " + Echo.quote(options.rewriteTarget().get())
                            + " references a group the path " + match.get() + " does not have; the route answers 503");
                    return new RouteAction.Unavailable();
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
}
