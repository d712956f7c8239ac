package io.shardgate.node.ads;

/** The two ADS variants: state-of-the-world (StreamAggregatedResources) and incremental (DeltaAggregatedResources). */
public enum Protocol {
    SOTW,
    DELTA
}
