package io.shardgate.translator.model;

import io.shardgate.translator.Problem;
import io.shardgate.translator.input.ObjectRef;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * The Ingress semantics of one domain, resolved and checked, with no Envoy types in it: the seam between
 * reading Kubernetes objects and writing Envoy protos.
 *
 * @param tlsSecret a Secret valid for this host, or empty when the domain is served on plain HTTP only
 * @param routes    in match order (most specific first)
 * @param wildcardCoversOneLabel a wildcard host covers names one label deeper only (Ingress), not any depth
 *                  (Gateway API)
 */
public record DomainModel(
        String host,
        Optional<ObjectRef> tlsSecret,
        List<RouteModel> routes,
        SortedSet<ObjectRef> sources,
        List<Problem> problems,
        Optional<Instant> recheckAt,
        boolean wildcardCoversOneLabel) {

    public DomainModel {
        routes = List.copyOf(routes);
        problems = List.copyOf(problems);
    }

    /** The HTTP catch-all for rules without host: never served over HTTPS. */
    public boolean isCatchAll() {
        return "*".equals(host);
    }
}
