package io.shardgate.node.feature;

import static io.shardgate.node.feature.SiteCluster.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.shardgate.node.Node;
import io.shardgate.node.ads.CertificateAuthority;
import io.shardgate.node.tls.LocalCertificates;
import io.shardgate.sharding.ShardId;
import io.shardgate.xdsclient.Mode;
import io.shardgate.xdsclient.XdsClient;
import io.shardgate.xdsclient.XdsClientOptions;
import io.shardgate.xdsclient.XdsClientOptions.ClientTls;
import io.shardgate.xdsclient.XdsType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes serve ADS over mTLS with one CA (as cert-manager issues them). An Envoy that connects to the node not
 * owning its shard is relayed over mTLS, with its own identity carried, and gets exactly its shard; an Envoy of
 * another gateway is denied by the relaying node and gets nothing.
 */
class RelayMutualTlsFeatureTest {
    private static final String NODE = "spiffe://cluster.local/ns/shardgate/sa/shardgate";

    @TempDir
    Path manifests;
    @TempDir
    Path tls;

    @Test
    void aRelayedEnvoyIsServedOverMutualTlsAndAnotherGatewaysEnvoyIsDenied() throws Exception {
        writeManifests(manifests, "/");
        LocalCertificates.Authority ca = LocalCertificates.Authority.create("test CA");
        Path caFile = Files.writeString(tls.resolve("ca.crt"), ca.certificatePem());
        LocalCertificates.Pem node = ca.issue("node", List.of(NODE), List.of("localhost"), List.of("127.0.0.1"), true, true);
        String[] flags = {"--tls-cert=" + Files.writeString(tls.resolve("node.crt"), node.certificate()),
                "--tls-key=" + Files.writeString(tls.resolve("node.key"), node.key()), "--tls-ca=" + caFile};
        ClientTls publicEnvoy = client(ca, CertificateAuthority.defaultIdentity("cluster.local", "shardgate", "public"), caFile);
        ClientTls otherEnvoy = client(ca, CertificateAuthority.defaultIdentity("cluster.local", "shardgate", "other"), caFile);

        String cluster = "relay-tls-" + System.nanoTime();
        List<Node> nodes = new ArrayList<>();
        List<XdsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) nodes.add(startNode(manifests, cluster, flags));
            awaitOwnership(nodes, SHARDS / 2);
            Map<ShardId, Node> owners = owners(nodes);
            for (int shard = 0; shard < SHARDS; shard++) {
                Node owner = owners.get(new ShardId("public", shard));
                Node relayer = nodes.get(0) == owner ? nodes.get(1) : nodes.get(0);
                Mode mode = shard % 2 == 0 ? Mode.DELTA : Mode.SOTW;
                XdsClient envoy = XdsClient.connect(XdsClientOptions.of("127.0.0.1", relayer.adsPort(), mode,
                        "envoy-" + shard, "public", shard).withTls(publicEnvoy));
                clients.add(envoy);
                int s = shard;
                assertThat(envoy.awaitState(st -> st.resource(XdsType.ROUTE, "http") != null
                        && domains(st.resource(XdsType.ROUTE, "http").message()).equals(hostsOfShard(s)), WAIT))
                        .as("shard %d relayed over mTLS (%s): %s", shard, mode, envoy.describe()).isTrue();
                assertThat(relayer.clients().stream().filter(c -> c.nodeId().equals("envoy-" + s)).findFirst()
                        .orElseThrow().relayedTo()).isEqualTo("127.0.0.1:" + owner.adsPort());

                XdsClient intruder = XdsClient.connect(XdsClientOptions.of("127.0.0.1", relayer.adsPort(), mode,
                        "intruder-" + shard, "public", shard).withTls(otherEnvoy));
                clients.add(intruder);
                assertThat(intruder.terminated().get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                for (XdsType type : XdsType.values()) assertThat(intruder.resources(type)).as("%s", type).isEmpty();
            }
        } finally {
            clients.forEach(XdsClient::close);
            for (Node n : nodes) n.close();
        }
    }

    private ClientTls client(LocalCertificates.Authority ca, String identity, Path caFile) throws Exception {
        LocalCertificates.Pem pem = ca.issue("envoy", List.of(identity), List.of(), List.of(), false, true);
        String name = identity.substring(identity.lastIndexOf('/') + 1);
        return new ClientTls(Files.writeString(tls.resolve(name + ".crt"), pem.certificate()),
                Files.writeString(tls.resolve(name + ".key"), pem.key()), caFile);
    }
}
