package io.shardgate.bench.measure;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * CPU time over an interval: of the whole process, and of the server's threads only (chosen by name, so the
 * simulated fleet's grpc-java threads and the harness's own do not count). A thread that ends inside the interval
 * loses its time; the servers' threads (event loops, engine, pools) live throughout. GC and JIT threads are not
 * Java threads: they count in the process figure only.
 */
public final class CpuMeter {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU nanoseconds over an interval: the whole process, and the server's threads. */
    public record Reading(long processNanos, long serverNanos) {}

    private final Predicate<String> serverThread;
    private final Map<Long, Long> startByThread;
    private final long startProcess;

    private CpuMeter(Predicate<String> serverThread) {
        this.serverThread = serverThread;
        this.startByThread = serverThreads();
        this.startProcess = processCpu();
    }

    /** Starts an interval now. */
    public static CpuMeter start(Predicate<String> serverThread) {
        return new CpuMeter(serverThread);
    }

    /** CPU since the start; threads started meanwhile count from zero. */
    public Reading stop() {
        long server = 0;
        for (Map.Entry<Long, Long> e : serverThreads().entrySet()) {
            server += e.getValue() - startByThread.getOrDefault(e.getKey(), 0L);
        }
        return new Reading(processCpu() - startProcess, server);
    }

    private Map<Long, Long> serverThreads() {
        Map<Long, Long> out = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null || !serverThread.test(info.getThreadName())) continue;
            long cpu = THREADS.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) out.put(info.getThreadId(), cpu);
        }
        return out;
    }

    public static long processCpu() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getProcessCpuTime();
        return -1;
    }
}
