package io.shardgate.translator.tls;

import com.google.protobuf.ByteString;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.input.TlsSecretInput;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * Checks a TLS Secret the way Envoy and browsers would: the chain parses, the key parses and belongs to
 * the leaf certificate (proved by signing and verifying), the leaf is within its validity at the given
 * instant, and its DNS names cover the host. JDK only.
 *
 * <p>Parsing and the key check run once per content, however many Secrets hold it (one wildcard certificate may
 * serve thousands of domains) and however often each domain is inspected (modelers, statuses and the SDS secret each
 * ask). The memo is a pure function cache keyed by the bytes themselves, so it never changes an answer.
 */
public final class CertificateInspector {
    private static final byte[] PROBE = "shardgate key check".getBytes(StandardCharsets.US_ASCII);
    private static final int DNS_NAME = 2;

    /**
     * tls.crt, then tls.key, to the verdict. Weak keys (compared by content) keep an entry exactly as long as the
     * input bytes it was computed for are held, as the node holds every live Secret: a fixed bound would thrash once
     * live certificates outnumber it (one per domain), and a strong map would keep every certificate and key ever
     * seen. A Secret whose bytes were replaced by an equal copy may be checked once more, never once per domain.
     */
    private final Map<ByteString, Map<ByteString, Verdict>> verdicts = new WeakHashMap<>();
    private final Function<TlsSecretInput, CertificateVerdict> check;

    public CertificateInspector() {
        this(CertificateInspector::inspectUncached);
    }

    /** @param check parses and matches a Secret's certificate and key (tests count the calls) */
    CertificateInspector(Function<TlsSecretInput, CertificateVerdict> check) {
        this.check = check;
    }

    /** Whether the certificate and key parse and match, independent of time and host. */
    public CertificateVerdict inspect(TlsSecretInput secret) {
        Verdict verdict;
        synchronized (verdicts) {
            verdict = verdicts.computeIfAbsent(secret.certificatePem(), crt -> new WeakHashMap<>())
                    .computeIfAbsent(secret.privateKeyPem(), key -> new Verdict());
        }
        return verdict.of(secret, check);
    }

    /** Computed by the first caller; a concurrent caller for the same content waits for it instead of checking again. */
    private static final class Verdict {
        private CertificateVerdict value;

        synchronized CertificateVerdict of(TlsSecretInput secret, Function<TlsSecretInput, CertificateVerdict> check) {
            if (value == null) value = check.apply(secret);
            return value;
        }
    }

    /**
     * The next instant after {@code now} at which the Secret's certificate becomes valid or expires (when
     * {@link #problem}'s answer can change without any input changing), or empty if it never will.
     */
    public Optional<Instant> validityChange(TlsSecretInput secret, Instant now) {
        if (!(inspect(secret) instanceof CertificateVerdict.Usable usable)) return Optional.empty();
        CertificateFacts facts = usable.facts();
        if (now.isBefore(facts.notBefore())) return Optional.of(facts.notBefore());
        if (!now.isAfter(facts.notAfter())) return Optional.of(facts.notAfter().plusMillis(1));
        return Optional.empty();
    }

    /**
     * Why the Secret cannot serve {@code host} at {@code now}, or empty when it can.
     *
     * @param host the domain, or null to check the Secret without a host
     */
    public Optional<CertificateVerdict.Unusable> problem(TlsSecretInput secret, String host, Instant now) {
        CertificateVerdict verdict = inspect(secret);
        if (verdict instanceof CertificateVerdict.Unusable unusable) return Optional.of(unusable);
        CertificateFacts facts = ((CertificateVerdict.Usable) verdict).facts();
        if (now.isAfter(facts.notAfter())) {
            return unusable(Reasons.TLS_CERTIFICATE_EXPIRED, "certificate " + facts.subject() + " expired at " + facts.notAfter());
        }
        if (now.isBefore(facts.notBefore())) {
            return unusable(Reasons.TLS_SECRET_INVALID, "certificate " + facts.subject() + " is not valid before " + facts.notBefore());
        }
        if (host != null && !facts.covers(host)) {
            return unusable(Reasons.TLS_HOST_MISMATCH, "certificate " + facts.subject() + " does not cover " + host
                    + " (its DNS names: " + (facts.dnsNames().isEmpty() ? "none" : String.join(", ", facts.dnsNames())) + ")");
        }
        return Optional.empty();
    }

    private static Optional<CertificateVerdict.Unusable> unusable(String reason, String message) {
        return Optional.of(new CertificateVerdict.Unusable(reason, message));
    }

    static CertificateVerdict inspectUncached(TlsSecretInput secret) {
        X509Certificate leaf;
        try {
            leaf = leafCertificate(secret.certificatePem().toByteArray());
        } catch (NoCertificateException e) {
            return new CertificateVerdict.Unusable(Reasons.TLS_SECRET_INVALID, "tls.crt holds no PEM certificate");
        } catch (IllegalArgumentException | CertificateException e) {
            // The JDK's own message varies between versions: keep it out of Events and golden files.
            return new CertificateVerdict.Unusable(Reasons.TLS_SECRET_INVALID, "tls.crt is not a valid PEM X.509 certificate");
        }
        PrivateKeys.Read privateKey;
        try {
            privateKey = PrivateKeys.read(secret.privateKeyPem().toByteArray());
        } catch (IllegalArgumentException e) {
            return new CertificateVerdict.Unusable(Reasons.TLS_SECRET_INVALID, e.getMessage());
        }
        String subject = leaf.getSubjectX500Principal().getName();
        if (!belongTogether(privateKey, leaf.getPublicKey())) {
            return new CertificateVerdict.Unusable(Reasons.TLS_KEY_MISMATCH,
                    "tls.key does not belong to the certificate " + subject);
        }
        try {
            return new CertificateVerdict.Usable(new CertificateFacts(
                    subject, dnsNames(leaf), leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()));
        } catch (CertificateParsingException e) {
            return new CertificateVerdict.Unusable(Reasons.TLS_SECRET_INVALID, "tls.crt has malformed subject alternative names");
        }
    }

    /** The first certificate of the chain: the one Envoy presents and clients check against the host. */
    private static X509Certificate leafCertificate(byte[] pem) throws CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (PemBlocks.Block block : PemBlocks.parse(pem)) {
            if (block.type().equals("CERTIFICATE")) {
                return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der()));
            }
        }
        throw new NoCertificateException();
    }

    private static final class NoCertificateException extends IllegalArgumentException {}

    private static List<String> dnsNames(X509Certificate cert) throws CertificateParsingException {
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        if (sans == null) return names;
        for (List<?> san : sans) {
            if (san.size() == 2 && Integer.valueOf(DNS_NAME).equals(san.get(0)) && san.get(1) instanceof String name) {
                names.add(name.toLowerCase(Locale.ROOT));
            }
        }
        return names.stream().sorted().distinct().toList();
    }

    /**
     * Whether the key is the certificate's. As OpenSSL's X509_check_private_key (what Envoy's TLS stack does) it
     * compares public parts where the key holds them: an RSA CRT key's modulus and exponent, the public point an EC
     * key's SEC1 structure carries. Otherwise (other keys, or an EC point that differs) it signs with the key and verifies
     * with the certificate's: three elliptic-curve multiplications, milliseconds per certificate, which with a
     * certificate per domain would dominate a cold start.
     */
    private static boolean belongTogether(PrivateKeys.Read key, PublicKey publicKey) {
        if (key.key() instanceof RSAPrivateCrtKey rsa && publicKey instanceof RSAPublicKey certificates) {
            return rsa.getModulus().equals(certificates.getModulus())
                    && rsa.getPublicExponent().equals(certificates.getPublicExponent());
        }
        if (key.ecPublicKeyBits() != null && Arrays.equals(key.ecPublicKeyBits(), subjectPublicKeyBits(publicKey))) {
            return true;
        }
        return signatureVerifies(key.key(), publicKey);
    }

    /** The BIT STRING content of a public key's SubjectPublicKeyInfo, or null if it cannot be read. */
    private static byte[] subjectPublicKeyBits(PublicKey publicKey) {
        try {
            List<Der.Tlv> info = Der.sequenceElements(publicKey.getEncoded());
            return info.size() == 2 && info.get(1).tag() == Der.BIT_STRING ? info.get(1).content() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Signs with the private key and verifies with the certificate's public key; false on any mismatch. */
    private static boolean signatureVerifies(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            default -> null;
        };
        return algorithm != null && verifies(algorithm, privateKey, publicKey);
    }

    private static boolean verifies(String algorithm, PrivateKey privateKey, PublicKey publicKey) {
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
