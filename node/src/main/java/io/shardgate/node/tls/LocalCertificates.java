package io.shardgate.node.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * The certificates a node makes for itself when it is given none (local runs, like Envoy Gateway's certgen): a
 * CA, the node's server certificate, and a client certificate for a gateway's Envoys, as PEM files in one
 * directory. Made once; later starts reuse them. ECDSA P-256, keys in PKCS#8, readable by the owner only.
 */
public final class LocalCertificates {
    public static final String CA = "ca.crt";
    public static final String NODE_CERT = "node.crt";
    public static final String NODE_KEY = "node.key";
    public static final String ENVOY_CERT = "envoy.crt";
    public static final String ENVOY_KEY = "envoy.key";
    private static final Duration VALIDITY = Duration.ofDays(365);

    /** The node's files, and the Envoy client certificate made beside them. */
    public record Issued(TlsFiles node, Path envoyCertificate, Path envoyKey, boolean created) {}

    private LocalCertificates() {}

    /**
     * The certificates in {@code dir}, made first if any is missing.
     *
     * @param nodeIdentity the node certificate's URI name (peers recognise each other by it)
     * @param envoyIdentity the Envoy certificate's URI name
     */
    public static synchronized Issued ensure(Path dir, String nodeIdentity, String envoyIdentity) throws IOException {
        TlsFiles node = new TlsFiles(dir.resolve(NODE_CERT), dir.resolve(NODE_KEY), dir.resolve(CA));
        Path envoyCert = dir.resolve(ENVOY_CERT);
        Path envoyKey = dir.resolve(ENVOY_KEY);
        List<Path> all = List.of(node.certificate(), node.key(), node.ca(), envoyCert, envoyKey);
        if (all.stream().allMatch(Files::isRegularFile)) return new Issued(node, envoyCert, envoyKey, false);
        Files.createDirectories(dir);
        // Nodes started together from one directory must end up with one CA, not each its own.
        try (java.nio.channels.FileChannel lock = java.nio.channels.FileChannel.open(dir.resolve(".lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                var held = lock.lock()) {
            if (all.stream().allMatch(Files::isRegularFile)) return new Issued(node, envoyCert, envoyKey, false);
            return create(dir, node, envoyCert, envoyKey, nodeIdentity, envoyIdentity);
        }
    }

    private static Issued create(Path dir, TlsFiles node, Path envoyCert, Path envoyKey, String nodeIdentity,
            String envoyIdentity) throws IOException {
        Authority ca = Authority.create("Shardgate local CA");
        write(node.ca(), ca.certificatePem(), false);
        Pem server = ca.issue("shardgate node", List.of(nodeIdentity), List.of("localhost"), List.of("127.0.0.1"), true, true);
        write(node.certificate(), server.certificate(), false);
        write(node.key(), server.key(), true);
        Pem envoy = ca.issue("shardgate envoy", List.of(envoyIdentity), List.of(), List.of(), false, true);
        write(envoyCert, envoy.certificate(), false);
        write(envoyKey, envoy.key(), true);
        return new Issued(node, envoyCert, envoyKey, true);
    }

    private static void write(Path file, String pem, boolean secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, pem);
        if (secret) {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its own permissions apply
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** A certificate and its key, as PEM text. */
    public record Pem(String certificate, String key) {}

    /** A certificate authority that issues leaf certificates (also what tests make their CAs with). */
    public static final class Authority {
        private final KeyPair pair;
        private final X509Certificate certificate;
        private final X500Name name;

        private Authority(KeyPair pair, X509Certificate certificate, X500Name name) {
            this.pair = pair;
            this.certificate = certificate;
            this.name = name;
        }

        /** The CA whose certificate and PKCS#8 or EC private key these PEM texts hold. */
        public static Authority load(String certificatePem, String keyPem) {
            try (org.bouncycastle.openssl.PEMParser certs = new org.bouncycastle.openssl.PEMParser(new java.io.StringReader(certificatePem));
                 org.bouncycastle.openssl.PEMParser keys = new org.bouncycastle.openssl.PEMParser(new java.io.StringReader(keyPem))) {
                if (!(certs.readObject() instanceof X509CertificateHolder holder)) {
                    throw new IllegalArgumentException("no certificate in the CA's PEM");
                }
                Object key = keys.readObject();
                var converter = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter();
                java.security.PrivateKey privateKey;
                if (key instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) {
                    privateKey = converter.getPrivateKey(info);
                } else if (key instanceof org.bouncycastle.openssl.PEMKeyPair pair) {
                    privateKey = converter.getKeyPair(pair).getPrivate();
                } else {
                    throw new IllegalArgumentException("no private key in the CA's key PEM");
                }
                X509Certificate certificate = x509(holder);
                return new Authority(new KeyPair(certificate.getPublicKey(), privateKey), certificate, holder.getSubject());
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot read the CA: " + e.getMessage(), e);
            }
        }

        public static Authority create(String commonName) {
            try {
                KeyPair pair = keyPair();
                X500Name name = new X500Name("CN=" + commonName);
                Instant now = Instant.now();
                var builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofHours(1))),
                        Date.from(now.plus(VALIDITY.multipliedBy(10))), name, pair.getPublic());
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                return new Authority(pair, x509(builder.build(signer(pair))), name);
            } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
                throw new IllegalStateException("cannot create a CA: " + e.getMessage(), e);
            }
        }

        public String certificatePem() {
            return pem(certificate);
        }

        public String keyPem() {
            return pem(new PemObject("PRIVATE KEY", pair.getPrivate().getEncoded()));
        }

        public X509Certificate certificate() {
            return certificate;
        }

        /** A leaf certificate with these names, for server use, client use or both, valid for a year. */
        public Pem issue(String commonName, List<String> uris, List<String> dnsNames, List<String> ips, boolean server,
                boolean client) {
            return issue(commonName, uris, dnsNames, ips, server, client, VALIDITY);
        }

        public Pem issue(String commonName, List<String> uris, List<String> dnsNames, List<String> ips, boolean server,
                boolean client, Duration validity) {
            try {
                KeyPair leaf = keyPair();
                Instant now = Instant.now();
                var builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofHours(1))),
                        Date.from(now.plus(validity)), new X500Name("CN=" + commonName), leaf.getPublic());
                List<GeneralName> names = new ArrayList<>();
                uris.forEach(u -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, u)));
                dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
                ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                List<KeyPurposeId> purposes = new ArrayList<>();
                if (server) purposes.add(KeyPurposeId.id_kp_serverAuth);
                if (client) purposes.add(KeyPurposeId.id_kp_clientAuth);
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
                X509Certificate issued = x509(builder.build(signer(pair)));
                return new Pem(pem(issued), pem(new PemObject("PRIVATE KEY", leaf.getPrivate().getEncoded())));
            } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
                throw new IllegalStateException("cannot issue a certificate: " + e.getMessage(), e);
            }
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, new SecureRandom());
    }

    private static org.bouncycastle.operator.ContentSigner signer(KeyPair pair) throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
    }

    private static X509Certificate x509(X509CertificateHolder holder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
