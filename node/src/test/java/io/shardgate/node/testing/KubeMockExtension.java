package io.shardgate.node.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link KubeMock} for one test class: started before its first test, stopped after its last.
 * {@code @RegisterExtension static final KubeMockExtension kube = new KubeMockExtension();}
 */
public final class KubeMockExtension implements BeforeAllCallback, AfterAllCallback {
    private KubeMock mock;

    @Override
    public void beforeAll(ExtensionContext context) {
        mock = KubeMock.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (mock != null) mock.close();
    }

    public KubeMock mock() {
        return mock;
    }

    /** The shared client for setup and assertions. */
    public KubernetesClient api() {
        return mock.client();
    }

    /** A client of its own, for the code under test. */
    public KubernetesClient newClient() {
        return mock.newClient();
    }
}
