package io.shardgate.node.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.node.testing.RecordingSink;
import io.shardgate.node.testing.RecordingSink.Delivery;
import io.shardgate.node.testing.RecordingSink.Synced;
import io.shardgate.node.testing.RecordingSink.Upserted;
import io.shardgate.translator.input.IngressClassInput;
import io.shardgate.translator.input.IngressInput;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.input.TlsSecretInput;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** examples/ is what the default run serves: it must load cleanly and its certificate must fit its hosts. */
class ExamplesTest {
    private final RecordingSink sink = new RecordingSink();
    private FileSource source;

    @AfterEach
    void stop() {
        if (source != null) source.close();
    }

    @Test
    void everyExampleObjectLoads() {
        List<InputObject> objects = load();

        assertThat(objects.stream().map(InputObject::ref).map(ObjectRef::toString)).containsExactlyInAnyOrder(
                "INGRESS shop/shop", "INGRESS shop/apps", "INGRESS blog/blog",
                "INGRESS_CLASS shardgate",
                "SECRET shop/shop-tls",
                "SERVICE shop/web", "SERVICE shop/api", "SERVICE shop/apps", "SERVICE blog/blog",
                "ENDPOINT_SLICE shop/web-1", "ENDPOINT_SLICE shop/api-1", "ENDPOINT_SLICE shop/apps-1", "ENDPOINT_SLICE blog/blog-1",
                "GATEWAY_CLASS shardgate", "GATEWAY docs/public", "REFERENCE_GRANT shop/docs-gateway-uses-shop-tls", "HTTP_ROUTE docs/docs",
                "SERVICE docs/docs", "SERVICE docs/docs-next", "ENDPOINT_SLICE docs/docs-1", "ENDPOINT_SLICE docs/docs-next-1",
                "NAMESPACE shop", "NAMESPACE blog", "NAMESPACE docs");
        assertThat(objects).contains(new IngressClassInput("shardgate", IngressClassInput.CONTROLLER, true, null));
    }

    @Test
    void theCertificateCoversEveryTlsHostLongEnoughAndMatchesItsKey() throws Exception {
        List<InputObject> objects = load();
        TlsSecretInput secret = objects.stream().filter(TlsSecretInput.class::isInstance).map(TlsSecretInput.class::cast).findFirst().orElseThrow();
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(secret.certificatePem().toByteArray()));

        List<String> sans = certificate.getSubjectAlternativeNames().stream().map(san -> (String) san.get(1)).toList();
        List<String> tlsHosts = objects.stream().filter(IngressInput.class::isInstance).map(IngressInput.class::cast)
                .flatMap(ingress -> ingress.tls().stream()).flatMap(tls -> tls.hosts().stream()).distinct().toList();
        assertThat(tlsHosts).isNotEmpty();
        assertThat(sans).containsAll(tlsHosts);
        assertThat(certificate.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(365 * 90)));

        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pemBody(secret.privateKeyPem().toStringUtf8())));
        byte[] message = "examples".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(message);
        assertThat(verifier.verify(signature)).as("tls.key belongs to tls.crt").isTrue();
    }

    private List<InputObject> load() {
        source = new FileSource(Path.of(Objects.requireNonNull(System.getProperty("examples.dir"), "examples.dir")));
        source.start(sink);
        List<Delivery> deliveries = sink.await("synced", d -> d.contains(new Synced()));
        return deliveries.stream().filter(Upserted.class::isInstance).map(d -> ((Upserted) d).object()).toList();
    }

    private static byte[] pemBody(String pem) {
        String base64 = pem.lines().filter(line -> !line.startsWith("-----")).collect(Collectors.joining());
        return Base64.getDecoder().decode(base64);
    }
}
