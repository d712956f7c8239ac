package io.shardgate.translator.domain;

import io.shardgate.translator.Problem;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.resource.Part;
import io.shardgate.translator.resource.XdsResource;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/** What one domain (hostname) of a gateway translates to: served (perhaps degraded) or rejected. */
public sealed interface DomainResult {

    String host();

    /** Problems found; for a served domain these are degradations (the rest of the domain is served). */
    List<Problem> problems();

    /** The Ingresses whose rules this result was built from (the winning claim). */
    SortedSet<ObjectRef> sources();

    /**
     * When to translate this domain again although no input changed: a certificate it uses (or could not
     * use yet) becomes valid or expires then. Empty when nothing but an input change can change it.
     */
    default Optional<Instant> recheckAt() {
        return Optional.empty();
    }

    /**
     * @param httpsChain  the HTTPS listener's filter chain for this domain; empty when the domain has no
     *                    (valid) TLS, or in the scoped layout for an exact host (its chain, needed only under a
     *                    wildcard's, is built on demand: {@code Translator.httpsChain})
     * @param httpsRoute  the route configuration the HTTPS side uses (by RDS, or by scope); empty without (valid) TLS
     * @param httpVirtualHost the virtual host inside the shared plain-HTTP route configuration; empty when no route of
     *                    the domain acts on plain HTTP (plain-HTTP requests for the host then find the catch-all)
     * @param clusters    clusters the routes reference (their CDS/EDS resources are translated separately)
     * @param secrets     the Secrets the HTTPS chain references over SDS
     * @param recheckAt   see {@link DomainResult#recheckAt()}
     */
    record Served(
            String host,
            Optional<Part> httpsChain,
            Optional<XdsResource> httpsRoute,
            Optional<Part> httpVirtualHost,
            SortedSet<ClusterKey> clusters,
            SortedSet<ObjectRef> secrets,
            SortedSet<ObjectRef> sources,
            List<Problem> problems,
            Optional<Instant> recheckAt) implements DomainResult {
        public Served {
            problems = List.copyOf(problems);
        }
    }

    /** Nothing of this domain is served; problems say why. */
    record Rejected(String host, SortedSet<ObjectRef> sources, List<Problem> problems) implements DomainResult {
        public Rejected {
            problems = List.copyOf(problems);
        }
    }
}
