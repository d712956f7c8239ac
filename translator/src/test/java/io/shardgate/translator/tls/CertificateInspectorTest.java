package io.shardgate.translator.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.input.TlsSecretInput;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CertificateInspectorTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private final CertificateInspector inspector = new CertificateInspector();

    private Optional<String> reason(TlsSecretInput secret, String host, Instant now) {
        return inspector.problem(secret, host, now).map(CertificateVerdict.Unusable::reason);
    }

    @Test
    void acceptsEveryKeyEncodingKubernetesUsersHave() {
        assertThat(reason(Fixtures.secret("pkcs8-rsa", "shop-rsa.crt", "shop-rsa.key"), "shop.example.com", NOW)).isEmpty();
        assertThat(reason(Fixtures.secret("pkcs1-rsa", "shop-rsa.crt", "shop-rsa.pkcs1.key"), "shop.example.com", NOW)).isEmpty();
        assertThat(reason(Fixtures.secret("pkcs8-ec", "apps-wildcard-ec.crt", "apps-wildcard-ec.key"), "a.apps.example.com", NOW)).isEmpty();
        assertThat(reason(Fixtures.secret("sec1-ec", "apps-wildcard-ec.crt", "apps-wildcard-ec.sec1.key"), "a.apps.example.com", NOW)).isEmpty();
    }

    @Test
    void detectsAKeyOfAnotherCertificate() {
        assertThat(reason(Fixtures.secret("mixed", "shop-rsa.crt", "other-rsa.key"), null, NOW))
                .contains(Reasons.TLS_KEY_MISMATCH);
        assertThat(reason(Fixtures.secret("mixed-algorithms", "shop-rsa.crt", "apps-wildcard-ec.key"), null, NOW))
                .contains(Reasons.TLS_KEY_MISMATCH);
    }

    @Test
    void anEcKeyOfAnotherPairIsAMismatchWithOrWithoutItsPublicPoint() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair other = generator.generateKeyPair();
        byte[] otherPoint = Der.sequenceElements(other.getPublic().getEncoded()).get(1).encoded();
        byte[] scalar = Der.sequenceElements(Der.sequenceElements(other.getPrivate().getEncoded()).get(2).content()).get(1).encoded();
        byte[] sec1WithPoint = Der.tlv(Der.SEQUENCE, new byte[] {Der.INTEGER, 1, 1}, scalar,
                Der.tlv(Der.CONTEXT_0, PRIME256V1), Der.tlv(Der.CONTEXT_1, otherPoint));

        assertThat(reason(new TlsSecretInput("apps", "other-with-point", Fixtures.pem("apps-wildcard-ec.crt"),
                pem("EC PRIVATE KEY", sec1WithPoint)), null, NOW)).contains(Reasons.TLS_KEY_MISMATCH);
        assertThat(reason(new TlsSecretInput("apps", "other-pkcs8", Fixtures.pem("apps-wildcard-ec.crt"),
                pem("PRIVATE KEY", other.getPrivate().getEncoded())), null, NOW)).contains(Reasons.TLS_KEY_MISMATCH);
    }

    @Test
    void anEcKeyWithoutItsPublicPointIsProvenBySigning() {
        byte[] sec1 = PemBlocks.parse(Fixtures.pem("apps-wildcard-ec.sec1.key").toByteArray()).get(0).der();
        List<Der.Tlv> elements = Der.sequenceElements(sec1);
        assertThat(elements).extracting(Der.Tlv::tag).contains(Der.CONTEXT_1);
        byte[][] withoutPoint = elements.stream().filter(e -> e.tag() != Der.CONTEXT_1).map(Der.Tlv::encoded).toArray(byte[][]::new);

        assertThat(reason(new TlsSecretInput("apps", "no-point", Fixtures.pem("apps-wildcard-ec.crt"),
                pem("EC PRIVATE KEY", Der.tlv(Der.SEQUENCE, withoutPoint))), "a.apps.example.com", NOW)).isEmpty();
    }

    private static final byte[] PRIME256V1 = {Der.OID, 8, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 3, 1, 7};

    private static ByteString pem(String type, byte[] der) {
        return ByteString.copyFromUtf8("-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n");
    }

    @Test
    void checksValidityAgainstTheGivenInstant() {
        TlsSecretInput shortLived = Fixtures.secret("short", "short-lived.crt", "short-lived.key");
        CertificateFacts facts = ((CertificateVerdict.Usable) inspector.inspect(shortLived)).facts();

        assertThat(reason(shortLived, null, facts.notBefore().plusSeconds(60))).isEmpty();
        assertThat(reason(shortLived, null, NOW)).contains(Reasons.TLS_CERTIFICATE_EXPIRED);
        assertThat(reason(shortLived, null, facts.notBefore().minusSeconds(60))).contains(Reasons.TLS_SECRET_INVALID);
    }

    @Test
    void hostCoverageFollowsTlsClientRules() {
        TlsSecretInput wildcard = Fixtures.secret("apps", "apps-wildcard-ec.crt", "apps-wildcard-ec.key");
        assertThat(reason(wildcard, "one.apps.example.com", NOW)).isEmpty();
        assertThat(reason(wildcard, "*.apps.example.com", NOW)).isEmpty();
        assertThat(reason(wildcard, "apps.example.com", NOW)).contains(Reasons.TLS_HOST_MISMATCH);
        assertThat(reason(wildcard, "two.one.apps.example.com", NOW)).contains(Reasons.TLS_HOST_MISMATCH);

        TlsSecretInput exact = Fixtures.secret("shop", "shop-rsa.crt", "shop-rsa.key");
        assertThat(reason(exact, "www.shop.example.com", NOW)).isEmpty();
        assertThat(reason(exact, "*.shop.example.com", NOW)).contains(Reasons.TLS_HOST_MISMATCH);
    }

    @Test
    void unparseableMaterialIsInvalidNotAnException() {
        ByteString garbage = ByteString.copyFromUtf8("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
        ByteString key = Fixtures.pem("shop-rsa.key");
        assertThat(reason(new TlsSecretInput("shop", "a", garbage, key), null, NOW)).contains(Reasons.TLS_SECRET_INVALID);
        assertThat(reason(new TlsSecretInput("shop", "b", ByteString.EMPTY, key), null, NOW)).contains(Reasons.TLS_SECRET_INVALID);
        assertThat(reason(new TlsSecretInput("shop", "c", Fixtures.pem("shop-rsa.crt"), ByteString.copyFromUtf8("nope")), null, NOW))
                .contains(Reasons.TLS_SECRET_INVALID);
        ByteString badBase64 = ByteString.copyFromUtf8("-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n");
        assertThat(reason(new TlsSecretInput("shop", "d", Fixtures.pem("shop-rsa.crt"), badBase64), null, NOW))
                .contains(Reasons.TLS_SECRET_INVALID);
    }

    @Test
    void checksEachContentOnceHoweverManySecretsDomainsAndThreadsAskForIt() throws CertificateException {
        int tenants = 3_000; // more distinct certificates than the 1,024 verdicts the memo once held
        PublicKey publicKey = CertificateFactory.getInstance("X.509")
                .generateCertificate(Fixtures.pem("apps-wildcard-ec.crt").newInput()).getPublicKey();
        ByteString keyPem = Fixtures.pem("apps-wildcard-ec.sec1.key");
        List<ByteString> certificates = new ArrayList<>();
        for (int tenant = 0; tenant < tenants; tenant++) certificates.add(tenantCertificate(tenant, publicKey));
        // Each certificate in two Secrets with their own copies of the bytes, as when a namespace copies another's.
        List<TlsSecretInput> secrets = IntStream.range(0, 2 * tenants)
                .mapToObj(s -> new TlsSecretInput("ns" + s % 2, "tls", copy(certificates.get(s / 2)), copy(keyPem)))
                .toList();
        Map<ByteString, AtomicInteger> checks = new ConcurrentHashMap<>();
        CertificateInspector counting = new CertificateInspector(secret -> {
            checks.computeIfAbsent(secret.certificatePem(), crt -> new AtomicInteger()).incrementAndGet();
            return CertificateInspector.inspectUncached(secret);
        });

        // Three domains per Secret, asked for as the modelers and the SDS secret do, one domain of every Secret after
        // the other (the order that defeats a bounded memo), on parallel threads (which race for the same content).
        for (int app = 0; app < 3; app++) {
            String prefix = "app" + app + ".tenant";
            IntStream.range(0, secrets.size()).parallel().forEach(s -> {
                TlsSecretInput secret = secrets.get(s);
                counting.validityChange(secret, NOW);
                assertThat(counting.problem(secret, prefix + s / 2 + ".example.com", NOW)).isEmpty();
                counting.problem(secret, null, NOW);
            });
        }

        assertThat(checks).hasSize(tenants);
        assertThat(checks.values()).extracting(AtomicInteger::get).containsOnly(1);
    }

    private static final int SET = 0x31;
    private static final int UTF8_STRING = 0x0C;
    private static final int UTC_TIME = 0x17;
    private static final int CONTEXT_3 = 0xA3;
    private static final int DNS_NAME_TAG = 0x82;
    private static final byte[] ECDSA_WITH_SHA256 =
            Der.tlv(Der.SEQUENCE, new byte[] {Der.OID, 8, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 4, 3, 2});
    private static final byte[] COMMON_NAME = {Der.OID, 3, 0x55, 4, 3};
    private static final byte[] SUBJECT_ALT_NAME = {Der.OID, 3, 0x55, 0x1D, 0x11};

    /**
     * A certificate for *.tenant{n}.example.com with the given public key, valid 2025 to 2049. Its signature is a
     * placeholder (signing thousands took seconds): nothing verifies it, the inspector matches the key to the public key.
     */
    private static ByteString tenantCertificate(int tenant, PublicKey publicKey) {
        byte[] name = Der.tlv(Der.SEQUENCE,
                Der.tlv(SET, Der.tlv(Der.SEQUENCE, COMMON_NAME, Der.tlv(UTF8_STRING, ascii("tenant" + tenant)))));
        byte[] tbs = Der.tlv(Der.SEQUENCE,
                Der.tlv(Der.CONTEXT_0, new byte[] {Der.INTEGER, 1, 2}),
                Der.tlv(Der.INTEGER, BigInteger.valueOf(tenant + 1).toByteArray()),
                ECDSA_WITH_SHA256,
                name,
                Der.tlv(Der.SEQUENCE, Der.tlv(UTC_TIME, ascii("250101000000Z")), Der.tlv(UTC_TIME, ascii("491231235959Z"))),
                name,
                publicKey.getEncoded(),
                Der.tlv(CONTEXT_3, Der.tlv(Der.SEQUENCE, Der.tlv(Der.SEQUENCE, SUBJECT_ALT_NAME, Der.tlv(Der.OCTET_STRING,
                        Der.tlv(Der.SEQUENCE, Der.tlv(DNS_NAME_TAG, ascii("*.tenant" + tenant + ".example.com"))))))));
        byte[] signature = Der.tlv(Der.SEQUENCE, new byte[] {Der.INTEGER, 1, 1}, new byte[] {Der.INTEGER, 1, 1});
        return pem("CERTIFICATE", Der.tlv(Der.SEQUENCE, tbs, ECDSA_WITH_SHA256, Der.tlv(Der.BIT_STRING, new byte[] {0}, signature)));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static ByteString copy(ByteString bytes) {
        return ByteString.copyFrom(bytes.toByteArray());
    }

    @Test
    void memoisedVerdictIsTheSameObjectForTheSameBytes() {
        TlsSecretInput a = Fixtures.secret("a", "shop-rsa.crt", "shop-rsa.key");
        TlsSecretInput b = Fixtures.secret("b", "shop-rsa.crt", "shop-rsa.key");
        assertThat(inspector.inspect(b)).isSameAs(inspector.inspect(a));
    }
}
