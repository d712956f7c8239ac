package io.shardgate.node.ads;

/** Told about every NACK, on the stream's event loop; must not block (the node attributes it to domains). */
@FunctionalInterface
public interface NackListener {
    NackListener NONE = nack -> {};

    void onNack(Nack nack);
}
