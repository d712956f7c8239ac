package io.shardgate.node.report;

import io.shardgate.translator.input.ObjectRef;

/** Writes status.loadBalancer of the Ingresses whose domains this node owns and serves. */
public interface StatusWriter {

    /** The Ingress is served (at least one of its domains) by a shard this node owns. */
    void served(ObjectRef ingress);

    /** None of the Ingress's domains is served by this node any more. */
    void notServed(ObjectRef ingress);
}
