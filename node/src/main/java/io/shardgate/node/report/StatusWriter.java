package io.shardgate.node.report;

import java.util.SortedSet;

import io.shardgate.translator.input.ObjectRef;

/** Writes status.loadBalancer of the Ingresses whose domains this node owns and serves. */
public interface StatusWriter {

    /** Writes nothing: no Kubernetes, or no status addresses configured. */
    StatusWriter NONE = new StatusWriter() {
        @Override
        public void served(ObjectRef ingress, String gateway, SortedSet<Integer> shards) {}

        @Override
        public void notServed(ObjectRef ingress) {}

        @Override
        public void released(ObjectRef ingress) {}
    };

    /**
     * The Ingress is served (at least one of its domains) by a shard this node owns.
     *
     * @param shards the shards of all its hosts (not only the ones this node owns), so that every node serving
     *               part of it wants the same status
     */
    void served(ObjectRef ingress, String gateway, SortedSet<Integer> shards);

    /** None of the Ingress's domains is served by this node any more. */
    void notServed(ObjectRef ingress);

    /**
     * The shards serving the Ingress moved to other nodes: this node stops writing its status and leaves it as
     * their new owners set it (clearing it would fight them).
     */
    void released(ObjectRef ingress);
}
