package io.shardgate.node.source;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.shardgate.node.engine.SecretFetcher;
import io.shardgate.translator.input.ManifestDecoder;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.input.TlsSecretInput;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.Optional;
import java.util.Set;

/**
 * Fetches TLS Secrets from the API server when a shard arrives. Per namespace, a few are read one by one and
 * many (a shard taken over) with a paged list of the namespace's TLS Secrets, which costs the API server far
 * less than thousands of GETs.
 */
public final class KubernetesSecretFetcher implements SecretFetcher {
    /** Above this many Secrets one list beats one GET each. */
    static final int LIST_ABOVE = 64;
    private static final long PAGE = 500;

    private final KubernetesClient client;

    public KubernetesSecretFetcher(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Map<ObjectRef, TlsSecretInput> fetch(Set<ObjectRef> secrets) {
        Map<String, List<ObjectRef>> byNamespace = new TreeMap<>();
        secrets.forEach(ref -> byNamespace.computeIfAbsent(ref.namespace(), n -> new ArrayList<>()).add(ref));
        Map<ObjectRef, TlsSecretInput> found = new HashMap<>();
        byNamespace.forEach((namespace, refs) -> {
            if (refs.size() > LIST_ABOVE) {
                listTlsSecrets(namespace, input -> {
                    if (secrets.contains(input.ref())) found.put(input.ref(), input);
                });
            } else {
                for (ObjectRef ref : refs) {
                    project(client.secrets().inNamespace(namespace).withName(ref.name()).get())
                            .ifPresent(input -> found.put(ref, input));
                }
            }
        });
        return found;
    }

    /** Per namespace, so a node whose RBAC covers only its namespaces can fetch too. */
    private void listTlsSecrets(String namespace, Consumer<TlsSecretInput> each) {
        String next = null;
        do {
            SecretList page = client.secrets().inNamespace(namespace).withField("type", ManifestDecoder.TLS_SECRET_TYPE)
                    .list(new ListOptionsBuilder().withLimit(PAGE).withContinue(next).build());
            page.getItems().forEach(secret -> project(secret).ifPresent(each));
            next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
    }

    private static Optional<TlsSecretInput> project(Secret secret) {
        if (secret == null || !Fabric8Projection.isTlsSecret(secret)) return Optional.empty();
        return Fabric8Projection.tlsSecret(secret);
    }
}
