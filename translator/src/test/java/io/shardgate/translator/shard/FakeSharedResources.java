package io.shardgate.translator.shard;

import com.google.protobuf.ByteString;
import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import java.util.Optional;
import java.util.function.Function;

/** Shared resources for assembly tests: clusters and assignments whose bytes name their key; Secrets as given. */
final class FakeSharedResources implements SharedResources {
    private final Function<ObjectRef, Optional<XdsResource>> secrets;

    FakeSharedResources(Function<ObjectRef, Optional<XdsResource>> secrets) {
        this.secrets = secrets;
    }

    @Override
    public XdsResource cluster(ClusterKey key) {
        return XdsResource.of(ResourceType.CLUSTER, key.clusterName(), ByteString.copyFromUtf8("cluster " + key));
    }

    @Override
    public XdsResource loadAssignment(ClusterKey key) {
        return XdsResource.of(ResourceType.ENDPOINT, key.endpointsName(), ByteString.copyFromUtf8("endpoints " + key));
    }

    @Override
    public Optional<XdsResource> secret(ObjectRef secret) {
        return secrets.apply(secret);
    }
}
