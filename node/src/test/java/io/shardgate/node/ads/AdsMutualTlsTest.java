package io.shardgate.node.ads;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import io.shardgate.node.tls.LocalCertificates;
import io.shardgate.node.tls.TlsFiles;
import io.shardgate.xdsclient.BareAds;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsClientOptions;
import io.shardgate.xdsclient.XdsClientOptions.ClientTls;
import io.shardgate.xdsclient.XdsType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real TLS, real gRPC streams: who may be served which gateway. */
class AdsMutualTlsTest {
    private static final String NODE = "spiffe://cluster.local/ns/shardgate/sa/shardgate";
    private static final String GW_ENVOY = CertificateAuthority.defaultIdentity("cluster.local", "shardgate", AdsTestBed.GATEWAY);
    private static final String OTHER_ENVOY = CertificateAuthority.defaultIdentity("cluster.local", "shardgate", "other");

    @TempDir
    Path dir;
    private final Map<String, List<String>> configured = new ConcurrentHashMap<>();
    private LocalCertificates.Authority ca;
    private AdsTestBed bed;

    @BeforeEach
    void serve() throws Exception {
        ca = LocalCertificates.Authority.create("test CA");
        Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
        LocalCertificates.Pem node = ca.issue("node", List.of(NODE), List.of("localhost"), List.of("127.0.0.1"), true, true);
        TlsFiles files = new TlsFiles(write("node.crt", node.certificate()), write("node.key", node.key()), dir.resolve("ca.crt"));
        bed = new AdsTestBed(ShardRouter.LOCAL, options -> options.withTls(files).withTlsReloadInterval(Duration.ofMillis(100)), ClientLimits.DEFAULTS,
                new CertificateAuthority(NODE, "cluster.local", "shardgate", g -> configured.getOrDefault(g, List.of())));
        StandardShard.serve(bed);
    }

    @AfterEach
    void close() throws Exception {
        bed.close();
    }

    private Path write(String name, String pem) throws Exception {
        return Files.writeString(dir.resolve(name), pem);
    }

    private ClientTls client(LocalCertificates.Authority issuer, String identity) throws Exception {
        return client(issuer, identity, dir.resolve("ca.crt"));
    }

    /** A client certificate of {@code issuer}; the client trusts the server certificates {@code trusted} holds. */
    private ClientTls client(LocalCertificates.Authority issuer, String identity, Path trusted) throws Exception {
        LocalCertificates.Pem pem = issuer.issue("envoy", List.of(identity), List.of(), List.of(), false, true);
        String name = "client-" + System.nanoTime();
        return new ClientTls(write(name + ".crt", pem.certificate()), write(name + ".key", pem.key()), trusted);
    }

    private XdsClient connect(Mode mode, ClientTls tls) {
        return bed.connect(XdsClientOptions.of("127.0.0.1", bed.server.port(), mode, "envoy-0", AdsTestBed.GATEWAY, 0).withTls(tls));
    }

    private static Status ended(XdsClient client) throws Exception {
        return client.terminated().get(20, TimeUnit.SECONDS);
    }

    private static void assertNothingReceived(XdsClient client) {
        for (XdsType type : XdsType.values()) assertThat(client.resources(type)).as("%s received", type).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void withoutACertificateTheClientIsUnauthenticatedAndGetsNothing(Mode mode) throws Exception {
        XdsClient stranger = connect(mode, new ClientTls(null, null, dir.resolve("ca.crt")));

        Status status = ended(stranger);
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertNothingReceived(stranger);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anotherGatewaysCertificateIsDeniedAndLearnsNothing(Mode mode) throws Exception {
        XdsClient intruder = connect(mode, client(ca, OTHER_ENVOY));

        Status status = ended(intruder);
        assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(status.getDescription()).doesNotContain("shardgate-gateway-gw", "shards", "0..");
        assertNothingReceived(intruder);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theGatewaysOwnCertificateGetsItsShardWithOnlyTheKeysItsListenersReference(Mode mode) throws Exception {
        XdsClient envoy = connect(mode, client(ca, GW_ENVOY));

        bed.awaitStoreState(envoy);
        assertThat(envoy.resources(XdsType.SECRET)).containsOnlyKeys(StandardShard.CERT_A, StandardShard.CERT_B);
    }

    @Test
    void aCertificateFromAnotherCaNeverGetsAStream() throws Exception {
        XdsClient forged = connect(Mode.DELTA, client(LocalCertificates.Authority.create("rogue CA"), GW_ENVOY));

        assertThat(ended(forged).getCode()).isNotEqualTo(Status.Code.OK);
        assertNothingReceived(forged);
    }

    @Test
    void theIngressClassAnnotationReplacesTheDefaultIdentity() throws Exception {
        configured.put(AdsTestBed.GATEWAY, List.of("spiffe://cluster.local/ns/edge/sa/envoy"));

        assertThat(ended(connect(Mode.SOTW, client(ca, GW_ENVOY))).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        bed.awaitStoreState(connect(Mode.SOTW, client(ca, "spiffe://cluster.local/ns/edge/sa/envoy")));
    }

    @Test
    void aStreamClaimingToBeRelayedIsRefusedUnlessANodeRelaysItAndTheOriginalClientIsAuthorisedAgain() throws Exception {
        Metadata relayed = new Metadata();
        relayed.put(Metadata.Key.of(Relay.RELAYED_BY_HEADER, Metadata.ASCII_STRING_MARSHALLER), "node-x");
        Metadata.Key<String> clientIdentity = Metadata.Key.of(CertificateAuthority.CLIENT_IDENTITY_HEADER, Metadata.ASCII_STRING_MARSHALLER);

        Metadata claimsGw = new Metadata();
        claimsGw.merge(relayed);
        claimsGw.put(clientIdentity, GW_ENVOY);
        assertThat(firstStatus(client(ca, GW_ENVOY), claimsGw).getCode()).as("an Envoy claiming to relay")
                .isEqualTo(Status.Code.PERMISSION_DENIED);

        Metadata claimsOther = new Metadata();
        claimsOther.merge(relayed);
        claimsOther.put(clientIdentity, OTHER_ENVOY);
        assertThat(firstStatus(client(ca, NODE), claimsOther).getCode()).as("a node relaying another gateway's Envoy")
                .isEqualTo(Status.Code.PERMISSION_DENIED);

        try (BareAds ads = new BareAds(bed.server.port(), client(ca, NODE))) {
            var stream = ads.sotw(true, claimsGw);
            stream.send(BareAds.sotw(BareAds.node("envoy-0", AdsTestBed.GATEWAY), XdsType.CLUSTER, "", List.of()));
            assertThat(stream.awaitResponse(1, Duration.ofSeconds(20)).getResourcesCount())
                    .as("a node relaying the gateway's own Envoy is served").isPositive();
        }
    }

    private Status firstStatus(ClientTls tls, Metadata headers) throws Exception {
        try (BareAds ads = new BareAds(bed.server.port(), tls)) {
            var stream = ads.sotw(true, headers);
            stream.send(BareAds.sotw(BareAds.node("envoy-0", AdsTestBed.GATEWAY), XdsType.CLUSTER, "", List.of()));
            Status status = stream.awaitEnd(Duration.ofSeconds(20));
            assertThat(stream.responses()).isEmpty();
            return status;
        }
    }

    @Test
    void rotatedFilesServeNewHandshakesWithoutARestartWhileEstablishedStreamsStay() throws Exception {
        Path oldTrust = write("old-ca.crt", ca.certificatePem());
        XdsClient established = connect(Mode.DELTA, client(ca, GW_ENVOY, oldTrust));
        bed.awaitStoreState(established);

        // As the kubelet updates a mounted Secret: the files are replaced by those of a new CA.
        LocalCertificates.Authority next = LocalCertificates.Authority.create("next CA");
        Path nextTrust = write("next-ca.crt", next.certificatePem());
        LocalCertificates.Pem node = next.issue("node", List.of(NODE), List.of("localhost"), List.of("127.0.0.1"), true, true);
        write("node.key", node.key());
        write("node.crt", node.certificate());
        write("ca.crt", next.certificatePem());

        ClientTls nextEnvoy = client(next, GW_ENVOY, nextTrust);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean served = false;
        while (!served && System.nanoTime() < deadline) {
            served = connect(Mode.SOTW, nextEnvoy).awaitState(st -> !st.resources(XdsType.CLUSTER).isEmpty(), Duration.ofSeconds(2));
        }
        assertThat(served).as("a client of the new CA served within 30 s").isTrue();
        XdsClient stale = connect(Mode.SOTW, client(ca, GW_ENVOY, oldTrust));
        assertThat(ended(stale).getCode()).as("the old CA's certificates no longer get a stream").isNotEqualTo(Status.Code.OK);
        assertNothingReceived(stale);
        assertThat(established.terminated()).as("the stream made before the rotation").isNotDone();
    }
}
