package io.shardgate.node.engine;

import com.google.protobuf.ByteString;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Self-signed EC certificates for tests, with the given DNS names as SANs. */
public final class TestCertificates {
    private TestCertificates() {}

    public record Pem(ByteString certificate, ByteString privateKey) {}

    public static Pem selfSigned(List<String> dnsNames) {
        Instant now = Instant.now();
        return selfSigned(dnsNames, now.minus(1, ChronoUnit.DAYS), now.plus(3650, ChronoUnit.DAYS));
    }

    public static Pem selfSigned(List<String> dnsNames, Instant notBefore, Instant notAfter) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = gen.generateKeyPair();
            X500Name subject = new X500Name("CN=" + dnsNames.get(0).replace("*", "wildcard"));
            var builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(System.nanoTime()),
                    Date.from(notBefore), Date.from(notAfter), subject,
                    pair.getPublic());
            GeneralName[] names = dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            var holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            return new Pem(pem(new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(holder)), sec1(pair));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    /**
     * The key as cert-manager writes an ECDSA key (Go's x509.MarshalECPrivateKey): SEC1 "EC PRIVATE KEY" with the
     * named curve and the public point. The JDK's own PKCS#8 encoding leaves the point out, which no Kubernetes
     * tool does.
     */
    private static ByteString sec1(KeyPair pair) throws java.io.IOException {
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
        ECPrivateKey key = new ECPrivateKey(256, ((java.security.interfaces.ECPrivateKey) pair.getPrivate()).getS(),
                publicKey.getPublicKeyData(), new X962Parameters(SECObjectIdentifiers.secp256r1));
        return pem(new PemObject("EC PRIVATE KEY", key.getEncoded()));
    }

    private static ByteString pem(Object object) throws java.io.IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return ByteString.copyFromUtf8(out.toString());
    }
}
