package io.shardgate.bench.source;

import io.shardgate.bench.workload.Change;
import io.shardgate.node.source.InputSink;
import io.shardgate.translator.input.InputObject;
import io.shardgate.translator.input.ObjectRef;
import java.util.List;

/** Projections straight into the node's input sink, in this thread: no API server, no watch. */
public final class DirectSource implements ChangeSource {
    private final InputSink sink;

    public DirectSource(InputSink sink) {
        this.sink = sink;
    }

    @Override
    public String name() {
        return "direct";
    }

    @Override
    public long load(List<InputObject> initial) {
        long t0 = System.nanoTime();
        initial.forEach(sink::upsert);
        sink.synced();
        return t0;
    }

    @Override
    public long apply(Change change) {
        long t0 = System.nanoTime();
        change.upserts().forEach(sink::upsert);
        for (ObjectRef ref : change.deletes()) sink.delete(ref);
        return t0;
    }

    @Override
    public void close() {}
}
