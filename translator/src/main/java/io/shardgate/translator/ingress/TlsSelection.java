package io.shardgate.translator.ingress;

import io.shardgate.translator.Echo;
import io.shardgate.translator.Problem;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.input.IngressInput;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.kube.ObjectNames;
import io.shardgate.translator.tls.CertificateInspector;
import io.shardgate.translator.tls.ServableSecret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Picks the TLS Secret for a host from the winning Ingresses' spec.tls and checks it can serve the host.
 * An entry naming the host beats an entry without hosts; between equals, the older Ingress wins.
 */
final class TlsSelection {

    private record Candidate(IngressInput ingress, String secretName, boolean explicit) {}

    private TlsSelection() {}

    /**
     * @param winners oldest first
     * @param recheckAt told when the chosen certificate becomes valid or expires: the domain's translation
     *        changes then without any input changing
     * @return the Secret that can serve the host, or empty when the domain must be served on plain HTTP only
     */
    static Optional<ObjectRef> select(String host, List<IngressInput> winners, DomainInputs inputs,
                                   CertificateInspector inspector, Instant now, Consumer<Problem> problems,
                                   Consumer<Instant> recheckAt) {
        List<Candidate> candidates = new ArrayList<>();
        for (IngressInput ingress : winners) {
            for (IngressInput.Tls tls : ingress.tls()) {
                if (IngressHosts.tlsCovers(tls, host)) candidates.add(new Candidate(ingress, tls.secretName(), !tls.hosts().isEmpty()));
            }
        }
        if (candidates.isEmpty()) return Optional.empty();
        Candidate chosen = candidates.stream().filter(Candidate::explicit).findFirst().orElse(candidates.get(0));
        for (Candidate other : candidates) {
            if (other != chosen && !java.util.Objects.equals(other.secretName(), chosen.secretName())) {
                problems.accept(new Problem(other.ingress().ref(), host, Reasons.TLS_SECRET_CONFLICT,
                        "TLS for " + host + " uses Secret " + Echo.quote(chosen.secretName()) + " from Ingress "
                                + chosen.ingress().namespace() + "/" + chosen.ingress().name() + "; this Ingress's Secret "
                                + Echo.quote(other.secretName()) + " is ignored"));
            }
        }
        IngressInput owner = chosen.ingress();
        if (chosen.secretName() == null || chosen.secretName().isEmpty()) {
            return plainHttp(owner, host, Reasons.TLS_SECRET_MISSING, "the TLS entry for " + host + " names no Secret", problems);
        }
        if (!ObjectNames.isValid(owner.namespace(), chosen.secretName())) {
            return plainHttp(owner, host, Reasons.TLS_SECRET_MISSING, "the TLS entry for " + host + " names Secret "
                    + Echo.quote(chosen.secretName()) + ", which no Kubernetes object can be named", problems);
        }
        return ServableSecret.check(owner.ref(), host, owner.namespace(), chosen.secretName(), inputs, inspector, now,
                host + " is served on plain HTTP only", problems, recheckAt);
    }

    private static Optional<ObjectRef> plainHttp(IngressInput owner, String host, String reason, String message,
                                              Consumer<Problem> problems) {
        problems.accept(new Problem(owner.ref(), host, reason, message + "; " + host + " is served on plain HTTP only"));
        return Optional.empty();
    }
}
