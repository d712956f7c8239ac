package io.shardgate.translator.tls;

import io.shardgate.translator.Problem;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.input.TlsSecretInput;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Whether a named TLS Secret can serve a host now: it exists, parses, covers the host and is valid. Shared by the
 * kinds that name certificates (an Ingress's spec.tls, a Gateway listener's certificateRefs).
 */
public final class ServableSecret {
    private ServableSecret() {}

    /**
     * @param owner       the object naming the Secret, which problems are reported on
     * @param consequence what follows for the host when it cannot serve it, appended to the problem
     * @param recheckAt   told when the certificate becomes valid or expires: the domain's translation changes then
     */
    public static Optional<ObjectRef> check(ObjectRef owner, String host, String namespace, String name, DomainInputs inputs,
            CertificateInspector inspector, Instant now, String consequence, Consumer<Problem> problems,
            Consumer<Instant> recheckAt) {
        String qualified = namespace + "/" + name;
        Optional<TlsSecretInput> secret = inputs.secret(namespace, name);
        if (secret.isEmpty()) {
            problems.accept(new Problem(owner, host, Reasons.TLS_SECRET_MISSING,
                    "TLS Secret " + qualified + " not found (or not of type kubernetes.io/tls); " + consequence));
            return Optional.empty();
        }
        inspector.validityChange(secret.get(), now).ifPresent(recheckAt);
        Optional<CertificateVerdict.Unusable> unusable = inspector.problem(secret.get(), host, now);
        if (unusable.isPresent()) {
            problems.accept(new Problem(owner, host, unusable.get().reason(),
                    "TLS Secret " + qualified + ": " + unusable.get().message() + "; " + consequence));
            return Optional.empty();
        }
        return Optional.of(secret.get().ref());
    }
}
