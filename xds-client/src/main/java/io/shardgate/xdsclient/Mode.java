package io.shardgate.xdsclient;

/** Which ADS variant the client speaks. */
public enum Mode {
    /** StreamAggregatedResources (state of the world). */
    SOTW,
    /** DeltaAggregatedResources (incremental). */
    DELTA
}
