package io.shardgate.node.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.shardgate.node.testing.Fixtures;
import io.shardgate.node.testing.KubeMockExtension;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.input.TlsSecretInput;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Fetching TLS Secrets on demand from fabric8's mock API server, one by one and by a paged list. */
class KubernetesSecretFetcherTest {
    @RegisterExtension
    static final KubeMockExtension kube = new KubeMockExtension();

    private static ObjectRef ref(String namespace, String name) {
        return ObjectRef.of(ObjectRef.Kind.SECRET, namespace, name);
    }

    @Test
    void aFewSecretsAreReadOneByOneAndOnlyTlsSecretsThatExistComeBack() {
        kube.api().resource(Fixtures.tlsSecret("fetch-few", "web-tls", "CERT", "KEY")).create();
        kube.api().resource(Fixtures.opaqueSecret("fetch-few", "db")).create();

        Map<ObjectRef, TlsSecretInput> got = new KubernetesSecretFetcher(kube.newClient()).fetch(Set.of(
                ref("fetch-few", "web-tls"), ref("fetch-few", "db"), ref("fetch-few", "gone")));

        assertThat(got).containsExactly(Map.entry(ref("fetch-few", "web-tls"), new TlsSecretInput("fetch-few", "web-tls",
                ByteString.copyFromUtf8("CERT"), ByteString.copyFromUtf8("KEY"))));
    }

    @Test
    void manySecretsAreReadWithOneListAndOnlyTheAskedOnesComeBack() {
        Set<ObjectRef> wanted = new HashSet<>();
        for (int i = 0; i < KubernetesSecretFetcher.LIST_ABOVE + 6; i++) {
            kube.api().resource(Fixtures.tlsSecret("fetch-many", "tls-" + i, "CERT" + i, "KEY" + i)).create();
            if (i % 10 != 0) wanted.add(ref("fetch-many", "tls-" + i));
        }
        wanted.add(ref("fetch-many", "missing-0"));
        wanted.add(ref("fetch-many", "missing-1"));
        wanted.add(ref("fetch-many", "missing-2"));

        Map<ObjectRef, TlsSecretInput> got = new KubernetesSecretFetcher(kube.newClient()).fetch(wanted);

        assertThat(wanted.size()).isGreaterThan(KubernetesSecretFetcher.LIST_ABOVE);
        assertThat(got).hasSize(wanted.size() - 3);
        assertThat(got.get(ref("fetch-many", "tls-7")).privateKeyPem()).isEqualTo(ByteString.copyFromUtf8("KEY7"));
        assertThat(got.keySet()).doesNotContain(ref("fetch-many", "tls-10"));
    }
}
