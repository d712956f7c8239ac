package io.shardgate.translator.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.input.TlsSecretInput;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
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
    void memoisedVerdictIsTheSameObjectForTheSameBytes() {
        TlsSecretInput a = Fixtures.secret("a", "shop-rsa.crt", "shop-rsa.key");
        TlsSecretInput b = Fixtures.secret("b", "shop-rsa.crt", "shop-rsa.key");
        assertThat(inspector.inspect(b)).isSameAs(inspector.inspect(a));
    }
}
