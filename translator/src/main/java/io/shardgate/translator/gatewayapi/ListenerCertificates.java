package io.shardgate.translator.gatewayapi;

import io.shardgate.translator.Echo;
import io.shardgate.translator.Problem;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.input.GatewayInput;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.kube.ObjectNames;
import io.shardgate.translator.tls.CertificateInspector;
import io.shardgate.translator.tls.ServableSecret;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The certificate a host is served with over HTTPS: that of the most specific HTTPS listener reaching it (an exact
 * hostname before a wildcard, a wildcard before none; then a Gateway's before a ListenerSet's, then by namespace, name
 * and listener name). Its first certificateRef must name a usable TLS Secret, in the namespace of the Gateway or
 * ListenerSet declaring the listener, or in one whose ReferenceGrant admits that kind from that namespace (a grant
 * to a Gateway does not extend to its ListenerSets, nor the reverse). Problems are reported on the declaring object.
 */
final class ListenerCertificates {
    private static final Comparator<Attachments.Attachment> MOST_SPECIFIC_FIRST = Comparator
            .comparingInt((Attachments.Attachment a) -> -specificity(a.listener().hostname()))
            .thenComparing(Attachments.Attachment::owner, ListenerOwner::compareTo)
            .thenComparing(a -> a.listener().name());

    private ListenerCertificates() {}

    /** @param listeners HTTPS listeners reaching the host (none: empty, nothing reported) */
    static Optional<ObjectRef> select(String host, List<Attachments.Attachment> listeners, DomainInputs inputs,
            CertificateInspector inspector, Instant now, Consumer<Problem> problems, Consumer<Instant> recheckAt) {
        Optional<Attachments.Attachment> chosen = listeners.stream().min(MOST_SPECIFIC_FIRST);
        if (chosen.isEmpty()) return Optional.empty();
        ListenerOwner owner = chosen.get().owner();
        GatewayInput.Listener listener = chosen.get().listener();
        String consequence = "HTTPS for " + host + " is not served";
        if (listener.certificateRefs().size() > 1) {
            problems.accept(new Problem(owner.ref(), host, Reasons.UNSUPPORTED_FIELD, where(owner, listener) + " has "
                    + listener.certificateRefs().size() + " certificateRefs; only the first is served"));
        }
        Reference reference = reference(owner, listener, inputs);
        if (reference instanceof Reference.Refused refused) {
            problems.accept(new Problem(owner.ref(), host, refused.reason(), refused.why() + "; " + consequence));
            return Optional.empty();
        }
        Reference.Secret secret = (Reference.Secret) reference;
        return ServableSecret.check(owner.ref(), host, secret.namespace(), secret.name(), inputs, inspector, now, consequence,
                problems, recheckAt);
    }

    /** What a listener's first certificateRef refers to, checked as far as it can be without a host. */
    sealed interface Reference {
        record Secret(String namespace, String name) implements Reference {}

        /** @param reason InvalidCertificateRef or RefNotPermitted */
        record Refused(String reason, String why) implements Reference {}
    }

    /** The Secret a listener's first certificateRef names, if it is one the Gateway or ListenerSet may refer to. */
    static Reference reference(ListenerOwner owner, GatewayInput.Listener listener, DomainInputs inputs) {
        String where = where(owner, listener);
        List<GatewayInput.CertificateRef> refs = listener.certificateRefs();
        if (refs.isEmpty()) return new Reference.Refused(Reasons.INVALID_CERTIFICATE_REF, where + " has no certificateRefs");
        GatewayInput.CertificateRef ref = refs.get(0);
        boolean coreGroup = ref.group() == null || ref.group().isEmpty();
        if (!coreGroup || (ref.kind() != null && !ref.kind().equals("Secret"))) {
            return new Reference.Refused(Reasons.INVALID_CERTIFICATE_REF, where + " names a certificate of kind "
                    + Echo.quote((coreGroup ? "" : ref.group() + "/") + ref.kind()) + " (Secret only)");
        }
        String namespace = ref.namespace() == null ? owner.namespace() : ref.namespace();
        if (!ObjectNames.isValid(namespace, ref.name())) {
            return new Reference.Refused(Reasons.INVALID_CERTIFICATE_REF, where + " names Secret " + Echo.quote(ref.name())
                    + " in namespace " + Echo.quote(namespace) + ", which no Kubernetes object can be named");
        }
        if (!ReferenceGrants.permits(inputs, owner.kind(), owner.namespace(), "", "Secret", namespace, ref.name())) {
            return new Reference.Refused(Reasons.REF_NOT_PERMITTED, where + " names Secret " + namespace + "/" + ref.name()
                    + " in another namespace, and no ReferenceGrant in " + namespace + " grants " + owner.kind() + "s of "
                    + owner.namespace() + " access to it");
        }
        return new Reference.Secret(namespace, ref.name());
    }

    private static String where(ListenerOwner owner, GatewayInput.Listener listener) {
        return "listener " + Echo.quote(listener.name()) + " of " + owner;
    }

    private static int specificity(String hostname) {
        if (hostname == null) return 0;
        return hostname.startsWith("*") ? 1 : 2;
    }
}
