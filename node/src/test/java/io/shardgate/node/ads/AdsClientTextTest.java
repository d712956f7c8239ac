package io.shardgate.node.ads;

import static io.shardgate.node.ads.AdsTestBed.GATEWAY;
import static io.shardgate.node.ads.AdsTestBed.TIMEOUT;
import static io.shardgate.xdsclient.BareAds.node;
import static io.shardgate.xdsclient.BareAds.sotw;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.xdsclient.BareAds;
import io.shardgate.xdsclient.XdsType;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a client writes comes back out (logs, status messages, admin pages, Events) cut short and on one line: a
 * 1 MB node id is not echoed in a 1 MB status, a newline cannot start a forged log line.
 */
class AdsClientTextTest extends StandardShardTest {
    private BareAds connection;

    private BareAds connect() {
        connection = new BareAds(bed.server.port());
        return connection;
    }

    @AfterEach
    void closeConnection() throws Exception {
        if (connection != null) connection.close();
    }

    @Test
    void aMegabyteNodeIdIsRefusedWithoutBeingEchoed() throws Exception {
        String huge = "x".repeat(1 << 20);
        for (String gateway : List.of(GATEWAY, "")) {
            var stream = connect().sotw();
            stream.send(sotw(node(huge, gateway), XdsType.CLUSTER, "", List.of()));

            io.grpc.Status status = stream.awaitEnd(TIMEOUT);
            assertThat(status.getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).contains("node.id is 1048576 characters long").hasSizeLessThan(200);
            connection.close();
        }
        assertThat(bed.server.clients()).isEmpty();
    }

    @Test
    void aNodeIdWithALineBreakIsRefusedAndEchoedEscaped() throws Exception {
        var stream = connect().sotw();
        stream.send(sotw(node("envoy\n[main] INFO forged line\t\u202e", GATEWAY), XdsType.CLUSTER, "", List.of()));

        io.grpc.Status status = stream.awaitEnd(TIMEOUT);
        assertThat(status.getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("envoy\\n[main] INFO forged line\\t\\u202e")
                .doesNotContain("\n").doesNotContain("\t").doesNotContain("\u202e");
    }

    @Test
    void aNackMessageIsCutAndEscapedBeforeItIsStoredLoggedOrReported() throws Exception {
        var stream = connect().sotw();
        var node = node("nacker", GATEWAY);
        stream.send(sotw(node, XdsType.CLUSTER, "", List.of()));
        DiscoveryResponse response = stream.awaitResponse(1, TIMEOUT);
        String message = "svc-a: bad\n[main] WARN forged\n" + "y".repeat(200_000);

        stream.send(sotw(node, XdsType.CLUSTER, response.getNonce(), List.of()).toBuilder()
                .setErrorDetail(Status.newBuilder().setMessage(message)).build());

        AdsTestBed.eventually("the NACK arrived", () -> bed.nacks.size() == 1);
        Nack nack = bed.nacks.get(0);
        assertThat(nack.rejectedVersions()).containsOnlyKeys("svc-a");
        assertThat(nack.errorMessage()).startsWith("svc-a: bad\\n[main] WARN forged\\n").doesNotContain("\n")
                .endsWith("more characters)").hasSizeLessThan(ClientText.MAX_ERROR_CHARS + 40);
        assertThat(bed.serverView("nacker").types().get(ResourceType.CLUSTER).lastNackError())
                .isEqualTo(nack.errorMessage());
    }
}
