package io.shardgate.bench.measure;

import java.util.Collection;

/** Median and p99 (nearest rank) of a sample. */
public record Stats(int count, double p50, double p99, double max) {

    public static Stats of(Collection<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) return new Stats(0, Double.NaN, Double.NaN, Double.NaN);
        return new Stats(sorted.length, rank(sorted, 0.50), rank(sorted, 0.99), sorted[sorted.length - 1]);
    }

    private static double rank(double[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** For logs, of a sample of milliseconds: the unit on every figure. */
    public String inMillis() {
        return String.format("n=%d, p50 %.1f ms, p99 %.1f ms, max %.1f ms", count, p50, p99, max);
    }

    @Override
    public String toString() {
        return "n=" + count + " p50=" + p50 + " p99=" + p99 + " max=" + max;
    }
}
