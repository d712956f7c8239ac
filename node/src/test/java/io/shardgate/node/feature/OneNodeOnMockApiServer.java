package io.shardgate.node.feature;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.shardgate.node.testing.KubeMock;
import io.shardgate.node.testing.RunningNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One mock API server and one node watching it, shared by the tests of a class (each test uses its own gateway and
 * namespaces), started before them and stopped after.
 */
abstract class OneNodeOnMockApiServer {
    static final Duration WAIT = Duration.ofSeconds(30);
    static KubeMock kube;
    static RunningNode node;

    @BeforeAll
    static void start() {
        kube = KubeMock.start();
        node = RunningNode.on(kube);
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
        if (kube != null) kube.close();
        node = null;
        kube = null;
    }

    static KubernetesClient api() {
        return kube.client();
    }

    static <T extends HasMetadata> void apply(T object) {
        kube.apply(object);
    }
}
