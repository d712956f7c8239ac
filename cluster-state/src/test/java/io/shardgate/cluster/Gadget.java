package io.shardgate.cluster;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands for a deserialisation gadget: a class on the node's classpath whose readObject does something.
 * Here it only counts, so a test can tell whether a node ever deserialised one.
 */
public final class Gadget implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final AtomicInteger READS = new AtomicInteger();

    private final String payload;

    public Gadget(String payload) {
        this.payload = payload;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        READS.incrementAndGet();
    }

    @Override
    public String toString() {
        return "Gadget(" + payload + ")";
    }
}
