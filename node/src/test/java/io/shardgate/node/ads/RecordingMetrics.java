package io.shardgate.node.ads;

import io.shardgate.sharding.ShardId;
import io.shardgate.translator.resource.ResourceType;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what the server reports, for tests. */
final class RecordingMetrics implements AdsMetrics {
    final AtomicLong connected = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong pushes = new AtomicLong();
    final AtomicLong pushedBytes = new AtomicLong();
    final AtomicLong acks = new AtomicLong();
    final AtomicLong nacks = new AtomicLong();

    @Override
    public void connected(Protocol protocol, int delta) {
        connected.addAndGet(delta);
    }

    @Override
    public void refused(String reason) {
        refused.incrementAndGet();
    }

    @Override
    public void pushed(ResourceType type, int bytes, int resources, long latencyNanos) {
        pushes.incrementAndGet();
        pushedBytes.addAndGet(bytes);
    }

    @Override
    public void acked(ResourceType type, long roundTripNanos) {
        acks.incrementAndGet();
    }

    @Override
    public void nacked(ResourceType type, ShardId shard) {
        nacks.incrementAndGet();
    }
}
