package io.shardgate.chaos;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/** Bounded polling of a condition, for conditions nothing signals (another process's HTTP endpoint). */
public final class Waits {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Condition NEVER = LOCK.newCondition();

    private Waits() {}

    /** True as soon as the condition holds, false once the timeout has passed without it. */
    public static boolean until(Duration timeout, Duration poll, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) return true;
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            LOCK.lock();
            try {
                NEVER.await(Math.min(left, poll.toNanos()), TimeUnit.NANOSECONDS);
            } finally {
                LOCK.unlock();
            }
        }
    }
}
