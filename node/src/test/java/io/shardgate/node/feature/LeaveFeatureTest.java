package io.shardgate.node.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.shardgate.node.testing.Conditions;
import io.shardgate.node.testing.Fixtures;
import io.shardgate.node.testing.KubeMock;
import io.shardgate.node.testing.RunningNode;
import io.shardgate.sharding.DomainSharding;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node leaving gracefully hands its shards over before it goes, on the Kubernetes source too. The shards go to a
 * node that listed its informers earlier; on every stream where nothing changed since, its position (its list's
 * resourceVersion) is behind the leaving node's, so it could never show it has read as far, and the leave waited out
 * its whole drain limit. It now lists its sources again and takes the shards while the leaving node still serves.
 * The nodes watch one namespace and write status, as RbacCoverageTest's do, where every leave waited out its limit.
 */
class LeaveFeatureTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aNewerNodeLeavingHandsItsShardsToAnOlderOneWithoutWaitingOutItsDrainLimit() throws Exception {
        try (KubeMock mock = KubeMock.start();
             KubernetesClient api = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(mock.url())
                     .withOauthToken("setup").build()).build()) {
            IngressClass gateway = Fixtures.ingressClass("public", false);
            gateway.getMetadata().setAnnotations(Map.of("shardgate.io/shards", "2"));
            api.resource(gateway).create();
            api.resource(Fixtures.service("shop", "web").port("http", 80).build()).create();
            for (int shard = 0; shard < 2; shard++) {
                api.resource(Fixtures.ingress("shop", "site-" + shard).className("public").host(hostOnShard(shard))
                        .path("/", "web", 80).build()).create();
            }
            String cluster = "--cluster-name=leave-" + System.nanoTime();
            String[] writesStatus = {"--status-address=192.0.2.1", "--namespaces=shop"};
            try (RunningNode older = RunningNode.on(mock, cluster, "--join=tcp", "--members=127.0.0.1", "--failure-timeout=3s",
                    writesStatus[0], writesStatus[1])) {
                RunningNode newer = RunningNode.on(mock, cluster, "--join=tcp", "--members=127.0.0.1", "--failure-timeout=3s",
                        "--drain-timeout=120s", writesStatus[0], writesStatus[1]);
                Conditions.await("one shard each", WAIT, () -> older.node().engine().ownedShards().size() == 1
                        && newer.node().engine().ownedShards().size() == 1);

                CompletableFuture<Void> leaving = CompletableFuture.runAsync(newer::close);
                // A leave that waited out its drain limit would take 120 s.
                leaving.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(older.node().engine().ownedShards()).as("the older node holds both shards").hasSize(2);
            }
        }
    }

    private static String hostOnShard(int shard) {
        for (int i = 0; ; i++) {
            String host = "site-" + i + ".example.com";
            if (DomainSharding.shardOf(host, 2) == shard) return host;
        }
    }
}
