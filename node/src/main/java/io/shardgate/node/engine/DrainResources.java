package io.shardgate.node.engine;

import io.shardgate.translator.Problem;
import io.shardgate.translator.Translator;
import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.resource.XdsResource;
import io.shardgate.translator.shard.SharedResources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Clusters, load assignments and Secrets as of one drain's inputs, each translated once however many shards use
 * it (a Service used by every shard would otherwise be translated once per shard). A load assignment does not
 * depend on the cluster's protocol variant, so it is keyed by its name. Engine thread only; one per drain.
 */
final class DrainResources implements SharedResources {
    private final Translator translator;
    private final InputIndex index;
    private final SecretProblems secretProblems;
    private final Map<ClusterKey, XdsResource> clusters = new HashMap<>();
    private final Map<String, XdsResource> loadAssignments = new HashMap<>();

    DrainResources(Translator translator, InputIndex index, SecretProblems secretProblems) {
        this.translator = translator;
        this.index = index;
        this.secretProblems = secretProblems;
    }

    @Override
    public XdsResource cluster(ClusterKey key) {
        return clusters.computeIfAbsent(key, translator::cluster);
    }

    @Override
    public XdsResource loadAssignment(ClusterKey key) {
        return loadAssignments.computeIfAbsent(key.endpointsName(), name -> {
            ObjectRef service = ObjectRef.of(ObjectRef.Kind.SERVICE, key.namespace(), key.service());
            return translator.loadAssignment(key, index.service(service), index.slicesOf(service));
        });
    }

    @Override
    public Optional<XdsResource> secret(ObjectRef ref) {
        return index.secret(ref).flatMap(input -> {
            Translator.SecretResult result = translator.secret(input);
            List<Problem> problems = result instanceof Translator.SecretResult.Invalid i ? i.problems() : List.of();
            secretProblems.report(ref, problems);
            return result instanceof Translator.SecretResult.Valid v ? Optional.of(v.resource()) : Optional.empty();
        });
    }
}
