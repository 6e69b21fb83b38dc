package io.pgpartition.benchmarks;

import java.util.Arrays;

/**
 * Timings of one case, in milliseconds, and their summary.
 *
 * @param benchmark the benchmark it belongs to
 * @param name      what was measured
 * @param millis    one timing per repetition
 */
record Measurement(String benchmark, String name, double[] millis) {

    double median() {
        return percentile(50);
    }

    double p95() {
        return percentile(95);
    }

    double p99() {
        return percentile(99);
    }

    private double percentile(int p) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
