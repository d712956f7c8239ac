package io.shardgate.bench.fleet;

import io.shardgate.bench.workload.Change;

/**
 * How one change reached the fleet.
 *
 * @param nanos from the change handed to the node to the last subscribed client holding a version that contains it;
 *     -1 when it did not complete in time
 * @param clients clients that had to receive it (those of the shards it changed)
 * @param received clients that did
 * @param resources resources it changed (across shards)
 */
public record Activation(long changeId, Change.Kind kind, long nanos, int clients, int received, int resources) {

    public boolean complete() {
        return nanos >= 0 && received == clients;
    }

    public double millis() {
        return nanos / 1e6;
    }
}
