package io.shardgate.node.certgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.shardgate.node.ads.CertificateAuthority;
import io.shardgate.node.config.ConfigException;
import io.shardgate.node.testing.KubeMock;
import io.shardgate.node.tls.CertificateIdentities;
import io.shardgate.node.tls.LocalCertificates;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** certgen against fabric8's mock API server in CRUD mode: what it creates, keeps and renews. */
class CertGenTest {
    private static KubeMock mock;
    private static KubernetesClient api;
    private String namespace;

    @BeforeAll
    static void start() {
        mock = KubeMock.start();
        api = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(mock.url()).withOauthToken("certgen")
                .build()).build();
    }

    @AfterAll
    static void stop() {
        api.close();
        mock.close();
    }

    @BeforeEach
    void freshNamespace() {
        namespace = "ns-" + System.nanoTime();
    }

    private CertGenOptions options(String... flags) {
        String[] all = new String[flags.length + 2];
        all[0] = "--namespace=" + namespace;
        all[1] = "--gateways=public,internal";
        System.arraycopy(flags, 0, all, 2, flags.length);
        return CertGenOptions.parse(all, Map.of());
    }

    private List<CertGen.Result> run(Instant now, String... flags) {
        return new CertGen(api, options(flags), Clock.fixed(now, ZoneOffset.UTC)).run();
    }

    private Secret secret(String name) {
        return api.secrets().inNamespace(namespace).withName(name).get();
    }

    private X509Certificate certificate(String name) {
        return CertGen.parse(CertGen.text(secret(name), "tls.crt"));
    }

    private static Map<String, CertGen.Outcome> outcomes(List<CertGen.Result> results) {
        return results.stream().collect(java.util.stream.Collectors.toMap(CertGen.Result::secret, CertGen.Result::outcome));
    }

    @Test
    void theFirstRunCreatesTheCaTheNodesAndEachGatewaysCertificateInCertManagersLayout() throws Exception {
        List<CertGen.Result> results = run(Instant.now());

        assertThat(outcomes(results)).containsExactlyInAnyOrderEntriesOf(Map.of(CertGen.CA_SECRET, CertGen.Outcome.CREATED,
                CertGen.NODE_SECRET, CertGen.Outcome.CREATED, "shardgate-gateway-public-tls", CertGen.Outcome.CREATED,
                "shardgate-gateway-internal-tls", CertGen.Outcome.CREATED));
        X509Certificate ca = certificate(CertGen.CA_SECRET);
        for (String name : List.of(CertGen.NODE_SECRET, "shardgate-gateway-public-tls", "shardgate-gateway-internal-tls")) {
            Secret s = secret(name);
            assertThat(s.getType()).isEqualTo("kubernetes.io/tls");
            assertThat(s.getData()).containsOnlyKeys("tls.crt", "tls.key", "ca.crt");
            assertThat(CertGen.text(s, "ca.crt")).isEqualTo(CertGen.text(secret(CertGen.CA_SECRET), "tls.crt"));
            certificate(name).verify(ca.getPublicKey());
            assertThat(s.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", CertGen.MANAGED_BY);
        }
        assertThat(CertificateIdentities.of(List.of(certificate(CertGen.NODE_SECRET)))).containsExactlyInAnyOrder(
                "spiffe://cluster.local/ns/" + namespace + "/sa/shardgate", "shardgate", "shardgate." + namespace + ".svc",
                "shardgate." + namespace + ".svc.cluster.local");
        assertThat(certificate(CertGen.NODE_SECRET).getExtendedKeyUsage()).as("server and client (relays)")
                .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(CertificateIdentities.of(List.of(certificate("shardgate-gateway-public-tls"))))
                .containsExactly(CertificateAuthority.defaultIdentity("cluster.local", namespace, "public"));
        assertThat(certificate("shardgate-gateway-public-tls").getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(Duration.between(Instant.now(), certificate(CertGen.NODE_SECRET).getNotAfter().toInstant()))
                .isBetween(Duration.ofDays(89), Duration.ofDays(90));
    }

    @Test
    void runAgainItKeepsEverySecretUntouched() {
        run(Instant.now());
        Map<String, String> versions = Map.of(CertGen.CA_SECRET, version(CertGen.CA_SECRET), CertGen.NODE_SECRET,
                version(CertGen.NODE_SECRET), "shardgate-gateway-public-tls", version("shardgate-gateway-public-tls"));

        List<CertGen.Result> again = run(Instant.now());

        assertThat(again).extracting(CertGen.Result::outcome).containsOnly(CertGen.Outcome.KEPT);
        versions.forEach((name, v) -> assertThat(version(name)).as(name).isEqualTo(v));
    }

    @Test
    void aLeafDueForRenewalIsReissuedFromTheSameCa() throws Exception {
        run(Instant.now());
        String caBefore = CertGen.text(secret(CertGen.CA_SECRET), "tls.crt");
        String nodeKeyBefore = CertGen.text(secret(CertGen.NODE_SECRET), "tls.key");

        List<CertGen.Result> later = run(Instant.now().plus(Duration.ofDays(61)));

        assertThat(outcomes(later)).containsEntry(CertGen.CA_SECRET, CertGen.Outcome.KEPT)
                .containsEntry(CertGen.NODE_SECRET, CertGen.Outcome.RENEWED)
                .containsEntry("shardgate-gateway-public-tls", CertGen.Outcome.RENEWED);
        assertThat(later).filteredOn(r -> r.outcome() == CertGen.Outcome.RENEWED).allSatisfy(r -> assertThat(r.why()).startsWith("expires at"));
        assertThat(CertGen.text(secret(CertGen.CA_SECRET), "tls.crt")).isEqualTo(caBefore);
        assertThat(CertGen.text(secret(CertGen.NODE_SECRET), "tls.key")).as("a new key with the new certificate").isNotEqualTo(nodeKeyBefore);
        certificate(CertGen.NODE_SECRET).verify(certificate(CertGen.CA_SECRET).getPublicKey());
    }

    @Test
    void aLeafFromAnotherCaWithOtherNamesOrAnotherKeyIsReplaced() {
        run(Instant.now());
        LocalCertificates.Pem foreign = LocalCertificates.Authority.create("someone else").issue("x",
                List.of(CertificateAuthority.defaultIdentity("cluster.local", namespace, "public")), List.of(), List.of(), false, true);
        overwrite("shardgate-gateway-public-tls", foreign.certificate(), foreign.key());
        LocalCertificates.Authority ca = LocalCertificates.Authority.load(CertGen.text(secret(CertGen.CA_SECRET), "tls.crt"),
                CertGen.text(secret(CertGen.CA_SECRET), "tls.key"));
        LocalCertificates.Pem renamed = ca.issue("x", List.of("spiffe://cluster.local/ns/elsewhere/sa/shardgate"), List.of(),
                List.of(), true, true);
        overwrite(CertGen.NODE_SECRET, renamed.certificate(), renamed.key());

        LocalCertificates.Pem otherKey = ca.issue("x", List.of(), List.of(), List.of(), false, true);
        Secret internal = secret("shardgate-gateway-internal-tls");
        internal.getData().put("tls.key", b64(otherKey.key()));
        api.secrets().inNamespace(namespace).resource(internal).update();

        List<CertGen.Result> results = run(Instant.now());

        assertThat(results).filteredOn(r -> r.secret().equals("shardgate-gateway-internal-tls")).singleElement()
                .satisfies(r -> assertThat(r.why()).isEqualTo("its key is not its certificate's"));
        assertThat(results).filteredOn(r -> r.secret().equals("shardgate-gateway-public-tls")).singleElement()
                .satisfies(r -> assertThat(r.why()).isEqualTo("signed by another CA"));
        assertThat(results).filteredOn(r -> r.secret().equals(CertGen.NODE_SECRET)).singleElement()
                .satisfies(r -> assertThat(r.why()).startsWith("names ["));
        assertThat(CertificateIdentities.of(List.of(certificate(CertGen.NODE_SECRET))))
                .contains("spiffe://cluster.local/ns/" + namespace + "/sa/shardgate");
        Secret reissued = secret("shardgate-gateway-internal-tls");
        assertThat(new io.shardgate.translator.tls.CertificateInspector().inspect(new io.shardgate.translator.input.TlsSecretInput(
                namespace, "shardgate-gateway-internal-tls", com.google.protobuf.ByteString.copyFromUtf8(CertGen.text(reissued, "tls.crt")),
                com.google.protobuf.ByteString.copyFromUtf8(CertGen.text(reissued, "tls.key")))))
                .as("the re-issued key is the certificate's").isInstanceOf(io.shardgate.translator.tls.CertificateVerdict.Usable.class);
    }

    @Test
    void aLeafSecretMissingAKeyIsReissuedNotAnError() {
        run(Instant.now());
        Secret node = secret(CertGen.NODE_SECRET);
        node.getData().remove("ca.crt");
        api.secrets().inNamespace(namespace).resource(node).update();

        List<CertGen.Result> results = run(Instant.now());

        assertThat(results).filteredOn(r -> r.secret().equals(CertGen.NODE_SECRET)).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(CertGen.Outcome.RENEWED);
            assertThat(r.why()).isEqualTo("unreadable: no ca.crt");
        });
        assertThat(secret(CertGen.NODE_SECRET).getData()).containsKey("ca.crt");
    }

    @Test
    void anUnreadableCaIsAnErrorAndIsLeftAsItWas() {
        api.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(CertGen.CA_SECRET)
                .withNamespace(namespace).endMetadata().withType("kubernetes.io/tls").addToData("tls.crt", b64("not a certificate"))
                .addToData("tls.key", b64("nor a key")).build()).create();

        assertThatThrownBy(() -> run(Instant.now())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(namespace + "/shardgate-ca holds no usable CA").hasMessageContaining("fix or delete it");
        assertThat(CertGen.text(secret(CertGen.CA_SECRET), "tls.crt")).isEqualTo("not a certificate");
        assertThat(secret(CertGen.NODE_SECRET)).as("nothing issued from a CA it could not read").isNull();
    }

    @Test
    void wrongFlagsSayWhatToFix() {
        assertThatThrownBy(() -> CertGenOptions.parse(new String[] {"--gateway=public"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown argument '--gateway=public'").hasMessageContaining("gateways");
        assertThatThrownBy(() -> CertGenOptions.parse(new String[] {"--renew-before=100d"}, Map.of()))
                .hasMessageContaining("--renew-before (100d) must be shorter than --validity (90d)");
        assertThatThrownBy(() -> CertGenOptions.parse(new String[] {"--validity=90"}, Map.of()))
                .hasMessageContaining("--validity must be hours or days such as 720h or 30d, was '90'");
        assertThatThrownBy(() -> CertGenOptions.parse(new String[] {"--gateways=Public"}, Map.of()))
                .hasMessageContaining("'Public' is not a valid name");
        assertThat(CertGenOptions.parse(new String[0], Map.of("POD_NAMESPACE", "edge")).gatewayNamespace())
                .as("the Job's own namespace by default").isEqualTo("edge");
    }

    @Test
    void everyFlagIsDocumentedAndInTheHelp() throws Exception {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("docs.dir", "../docs"), "configuration.md"));
        String section = doc.substring(doc.indexOf("## certgen"));
        for (String flag : List.of("namespace", "gateways", "gateway-namespace", "trust-domain", "cluster-domain", "service",
                "service-account", "validity", "renew-before")) {
            assertThat(section).as("docs/configuration.md documents certgen's --%s", flag).contains("`--" + flag + "`");
            assertThat(CertGenOptions.help()).contains("--" + flag + " ");
        }
        assertThatThrownBy(() -> CertGenOptions.parse(new String[] {"--cluster-dns=x"}, Map.of()))
                .hasMessageContaining("[namespace, gateways, gateway-namespace, trust-domain, cluster-domain, service,"
                        + " service-account, validity, renew-before]");
    }

    private String version(String name) {
        return secret(name).getMetadata().getResourceVersion();
    }

    private void overwrite(String name, String certificate, String key) {
        Secret s = secret(name);
        s.getData().put("tls.crt", b64(certificate));
        s.getData().put("tls.key", b64(key));
        api.secrets().inNamespace(namespace).resource(s).update();
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
