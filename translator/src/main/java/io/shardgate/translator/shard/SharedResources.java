package io.shardgate.translator.shard;

import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.resource.XdsResource;
import java.util.Optional;

/**
 * The resources domains share, translated by the caller as of its current inputs: a shard asks for one when
 * its first user appears and whenever the caller says its inputs changed. The caller may translate each once
 * for every shard that uses it.
 */
public interface SharedResources {

    XdsResource cluster(ClusterKey key);

    /** The load assignment named {@code key.endpointsName()} (shared by the protocol variants of a Service port). */
    XdsResource loadAssignment(ClusterKey key);

    /** The SDS resource of a TLS Secret, or empty if the Secret is missing or cannot be served. */
    Optional<XdsResource> secret(ObjectRef secret);
}
