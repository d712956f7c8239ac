package io.shardgate.bench.source;

import io.shardgate.bench.workload.Change;
import io.shardgate.translator.input.InputObject;
import java.util.List;

/** How the workload reaches a node: straight into its input sink, or through the Kubernetes API and its watch. */
public interface ChangeSource extends AutoCloseable {

    /** "direct" or "kube-mock", as the figures say. */
    String name();

    /**
     * Hands the whole initial state to the node and tells it the source is synced.
     *
     * @return when the node started receiving it ({@link System#nanoTime()}): the cold start's clock starts here
     */
    long load(List<InputObject> initial) throws Exception;

    /**
     * Hands one change to the node.
     *
     * @return when the node accepted it ({@link System#nanoTime()}: the source event handed to its sink)
     */
    long apply(Change change) throws Exception;

    @Override
    void close();
}
