package io.shardgate.node.certgen;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.shardgate.node.ads.CertificateAuthority;
import io.shardgate.node.tls.CertificateIdentities;
import io.shardgate.node.tls.LocalCertificates;
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
        String why = reasonToIssue(existing, leaf, ca);
        if (why == null) {
            X509Certificate current = parse(text(existing, "tls.crt"));
            return new Result(leaf.namespace(), leaf.secret(), Outcome.KEPT, "valid until " + current.getNotAfter().toInstant());
        }
        LocalCertificates.Pem pem = ca.issue(leaf.commonName(), leaf.uris(), leaf.dnsNames(), List.of(), leaf.server(), true,
                options.validity());
        put(leaf.namespace(), leaf.secret(), existing, pem.certificate(), pem.key(), ca.certificatePem());
        return new Result(leaf.namespace(), leaf.secret(), existing == null ? Outcome.CREATED : Outcome.RENEWED, why);
    }

    /** Why the leaf must be issued (again), or null when the Secret already holds what it should. */
    private String reasonToIssue(Secret existing, Leaf leaf, LocalCertificates.Authority ca) {
        if (existing == null) return "missing";
        X509Certificate current;
        try {
            current = parse(text(existing, "tls.crt"));
            if (!LocalCertificates.Authority.load(text(existing, "tls.crt"), text(existing, "tls.key")).keyMatches()) {
                return "its key is not its certificate's";
            }
        } catch (IllegalArgumentException e) {
            return "unreadable: " + e.getMessage();
        }
        try {
            current.verify(ca.certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            return "signed by another CA";
        }
        if (!ca.certificatePem().equals(text(existing, "ca.crt"))) return "its CA bundle is not the CA's certificate";
        Set<String> wanted = new TreeSet<>(leaf.uris());
        wanted.addAll(leaf.dnsNames());
        Set<String> names = CertificateIdentities.of(List.of(current));
        if (!names.equals(wanted)) return "names " + names + ", wanted " + wanted;
        Instant expires = current.getNotAfter().toInstant();
        if (Duration.between(clock.instant(), expires).compareTo(options.renewBefore()) < 0) return "expires at " + expires;
        return null;
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
