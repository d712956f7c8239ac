package io.shardgate.bench.measure;

import java.lang.management.ManagementFactory;

/** Used heap after a full GC (System.gc() twice, as the default collector runs it synchronously). */
public final class Heap {
    private Heap() {}

    public static long usedAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
