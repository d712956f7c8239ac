package io.shardgate.node.certgen;

import com.google.protobuf.ByteString;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.shardgate.node.ads.CertificateAuthority;
import io.shardgate.node.tls.CertificateIdentities;
import io.shardgate.node.tls.LocalCertificates;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.input.TlsSecretInput;
import io.shardgate.translator.tls.CertificateInspector;
import io.shardgate.translator.tls.CertificateVerdict;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Issues the mTLS certificates of docs/security.md as Kubernetes Secrets, for clusters without cert-manager
 * (Envoy Gateway's certgen is the model): Shardgate's CA, the nodes' certificate and one client certificate per
 * gateway. The Secrets have cert-manager's layout (type {@code kubernetes.io/tls} with {@code tls.crt},
 * {@code tls.key} and {@code ca.crt}), so the StatefulSet and the gateway Envoys mount them unchanged.
 *
 * <p>Run again, it changes only what needs it: a leaf certificate is issued when its Secret is missing or
 * unreadable, was signed by another CA, names other identities, carries another CA bundle, or expires within
 * {@code renewBefore}. The CA is made once and never replaced (every certificate chains to it; rotating it is the
 * documented two-step bundle change), so an unreadable CA Secret is an error to fix, not something to overwrite.
 */
public final class CertGen {
    public static final String CA_SECRET = "shardgate-ca";
    public static final String NODE_SECRET = "shardgate-node-tls";
    static final String MANAGED_BY = "shardgate-certgen";
    private static final CertificateInspector INSPECTOR = new CertificateInspector();

    /** What was done with one Secret, and why. */
    public enum Outcome { CREATED, RENEWED, KEPT }

    public record Result(String namespace, String secret, Outcome outcome, String why) {
        @Override
        public String toString() {
            return namespace + "/" + secret + ": " + outcome.name().toLowerCase() + " (" + why + ")";
        }
    }

    /** One leaf certificate the installation needs. */
    private record Leaf(String namespace, String secret, String commonName, List<String> uris, List<String> dnsNames,
            boolean server) {}

    private final KubernetesClient client;
    private final CertGenOptions options;
    private final Clock clock;

    public CertGen(KubernetesClient client, CertGenOptions options, Clock clock) {
        this.client = client;
        this.options = options;
        this.clock = clock;
    }

    public static String gatewaySecret(String gateway) {
        return "shardgate-gateway-" + gateway + "-tls";
    }

    public List<Result> run() {
        List<Result> results = new ArrayList<>();
        Secret existingCa = get(options.namespace(), CA_SECRET);
        LocalCertificates.Authority ca;
        if (existingCa == null) {
            ca = LocalCertificates.Authority.create("shardgate-ca");
            put(options.namespace(), CA_SECRET, null, ca.certificatePem(), ca.keyPem(), ca.certificatePem());
            results.add(new Result(options.namespace(), CA_SECRET, Outcome.CREATED, "missing"));
        } else {
            try {
                ca = LocalCertificates.Authority.load(text(existingCa, "tls.crt"), text(existingCa, "tls.key"));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Secret " + options.namespace() + "/" + CA_SECRET + " holds no usable CA ("
                        + e.getMessage() + "); fix or delete it (deleting it re-issues every certificate)", e);
            }
            results.add(new Result(options.namespace(), CA_SECRET, Outcome.KEPT, "valid until "
                    + ca.certificate().getNotAfter().toInstant()));
        }
        for (Leaf leaf : leaves()) results.add(ensure(leaf, ca));
        return results;
    }

    private List<Leaf> leaves() {
        String ns = options.namespace();
        List<Leaf> leaves = new ArrayList<>();
        String service = options.service();
        leaves.add(new Leaf(ns, NODE_SECRET, "shardgate node", List.of(spiffe(ns, options.serviceAccount())),
                List.of(service, service + "." + ns + ".svc", service + "." + ns + ".svc." + options.clusterDomain()), true));
        for (String gateway : options.gateways()) {
            leaves.add(new Leaf(options.gatewayNamespace(), gatewaySecret(gateway), "shardgate gateway " + gateway,
                    List.of(CertificateAuthority.defaultIdentity(options.trustDomain(), options.gatewayNamespace(), gateway)),
                    List.of(), false));
        }
        return leaves;
    }

    private String spiffe(String namespace, String serviceAccount) {
        return "spiffe://" + options.trustDomain() + "/ns/" + namespace + "/sa/" + serviceAccount;
    }

    private Result ensure(Leaf leaf, LocalCertificates.Authority ca) {
        Secret existing = get(leaf.namespace(), leaf.secret());
        Check check = check(existing, leaf, ca);
        if (check.reissueBecause() == null) {
            return new Result(leaf.namespace(), leaf.secret(), Outcome.KEPT, "valid until " + check.expires());
        }
        LocalCertificates.Pem pem = ca.issue(leaf.commonName(), leaf.uris(), leaf.dnsNames(), List.of(), leaf.server(), true,
                options.validity());
        put(leaf.namespace(), leaf.secret(), existing, pem.certificate(), pem.key(), ca.certificatePem());
        return new Result(leaf.namespace(), leaf.secret(), existing == null ? Outcome.CREATED : Outcome.RENEWED,
                check.reissueBecause());
    }

    /** Why a leaf Secret must be issued (again), or, when it holds what it should, when it expires. */
    private record Check(String reissueBecause, Instant expires) {
        static Check reissue(String why) {
            return new Check(why, null);
        }
    }

    private Check check(Secret existing, Leaf leaf, LocalCertificates.Authority ca) {
        if (existing == null) return Check.reissue("missing");
        String certificatePem;
        String keyPem;
        String bundle;
        try {
            certificatePem = text(existing, "tls.crt");
            keyPem = text(existing, "tls.key");
            bundle = text(existing, "ca.crt");
        } catch (IllegalArgumentException e) {
            return Check.reissue("unreadable: " + e.getMessage());
        }
        // The translator's check of a TLS Secret: the chain and key parse (PKCS#8, SEC1 or PKCS#1) and belong together.
        CertificateVerdict verdict = INSPECTOR.inspect(new TlsSecretInput(leaf.namespace(), leaf.secret(),
                ByteString.copyFromUtf8(certificatePem), ByteString.copyFromUtf8(keyPem)));
        if (verdict instanceof CertificateVerdict.Unusable unusable) {
            return Check.reissue(unusable.reason().equals(Reasons.TLS_KEY_MISMATCH) ? "its key is not its certificate's"
                    : "unreadable: " + unusable.message());
        }
        X509Certificate current = parse(certificatePem);
        try {
            current.verify(ca.certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            return Check.reissue("signed by another CA");
        }
        if (!ca.certificatePem().equals(bundle)) return Check.reissue("its CA bundle is not the CA's certificate");
        Set<String> wanted = new TreeSet<>(leaf.uris());
        wanted.addAll(leaf.dnsNames());
        Set<String> names = CertificateIdentities.of(List.of(current));
        if (!names.equals(wanted)) return Check.reissue("names " + names + ", wanted " + wanted);
        Instant expires = current.getNotAfter().toInstant();
        if (Duration.between(clock.instant(), expires).compareTo(options.renewBefore()) < 0) {
            return Check.reissue("expires at " + expires);
        }
        return new Check(null, expires);
    }

    private Secret get(String namespace, String name) {
        return client.secrets().inNamespace(namespace).withName(name).get();
    }

    private void put(String namespace, String name, Secret existing, String certificate, String key, String caBundle) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("tls.crt", base64(certificate));
        data.put("tls.key", base64(key));
        data.put("ca.crt", base64(caBundle));
        SecretBuilder secret = existing == null ? new SecretBuilder() : new SecretBuilder(existing);
        Secret built = secret.editOrNewMetadata().withNamespace(namespace).withName(name)
                .addToLabels("app.kubernetes.io/managed-by", MANAGED_BY).endMetadata()
                .withType("kubernetes.io/tls").withData(data).withStringData(null).build();
        // An update carries the resourceVersion it was read at, so it fails rather than overwrite a concurrent writer's.
        if (existing == null) {
            client.secrets().inNamespace(namespace).resource(built).create();
        } else {
            client.secrets().inNamespace(namespace).resource(built).update();
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String text(Secret secret, String key) {
        String encoded = secret.getData() == null ? null : secret.getData().get(key);
        if (encoded == null) throw new IllegalArgumentException("no " + key);
        try {
            return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " is not base64");
        }
    }

    static X509Certificate parse(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("no X.509 certificate: " + e.getMessage());
        }
    }
}
