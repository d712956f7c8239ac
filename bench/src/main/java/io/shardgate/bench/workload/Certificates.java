package io.shardgate.bench.workload;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Real self-signed EC P-256 certificates (PEM), as cert-manager would issue them, one SAN each. */
public final class Certificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private Certificates() {}

    public record Pem(ByteString certificate, ByteString privateKey) {}

    /** A certificate for {@code dnsName}, valid from yesterday for a year. */
    public static Pem issue(String dnsName) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = gen.generateKeyPair();
            X500Name subject = new X500Name("CN=" + dnsName.replace("*", "wildcard"));
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(365, ChronoUnit.DAYS)), subject,
                    pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
            var holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            return new Pem(pem(new JcaX509CertificateConverter().getCertificate(holder)),
                    pem(new JcaPKCS8Generator(pair.getPrivate(), null)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a certificate for " + dnsName, e);
        }
    }

    private static ByteString pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return ByteString.copyFromUtf8(out.toString());
    }
}
