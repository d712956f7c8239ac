package io.shardgate.node.report;

import java.util.SortedSet;

import io.shardgate.translator.input.ObjectRef;

/** Writes status.loadBalancer of the Ingresses whose domains this node owns and serves. */
public interface StatusWriter {

    /**
     * The Ingress is served (at least one of its domains) by a shard this node owns.
     *
     * @param shards the shards of all its hosts (not only the ones this node owns), so that every node serving
     *               part of it wants the same status
     */
    void served(ObjectRef ingress, String gateway, SortedSet<Integer> shards);

    /** None of the Ingress's domains is served by this node any more. */
    void notServed(ObjectRef ingress);
}
