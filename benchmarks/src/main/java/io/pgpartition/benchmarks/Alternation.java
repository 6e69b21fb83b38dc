package io.pgpartition.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Measures cases against each other by running them in turn, one operation (or one round) of each at a time, the
 * order reversed every other turn, so that no case always runs right after the same one and drift in the machine
 * falls on every case alike.
 */
final class Alternation {

    /** A case: {@code op} is timed, {@code before} (untimed) prepares each run of it. */
    record Variant(String name, Op op, Op before) {
        Variant(String name, Op op) {
            this(name, op, argument -> { });
        }
    }

    /** One run of a case, given the id (or round number) it works on. */
    interface Op {
        void run(long argument) throws Exception;
    }

    private Alternation() {
    }

    /** Per-operation times, each operation of each case on its own argument (rows no other case touches). */
    static List<Measurement> operations(String benchmark, int warmups, int count, LongSupplier argument, Variant... variants)
            throws Exception {
        return measure(benchmark, warmups, count, argument, variants);
    }

    /** Whole-round times; every case of a turn gets the same round number. */
    static List<Measurement> rounds(String benchmark, int warmups, int count, Variant... variants) throws Exception {
        long[] round = {0};
        return measure(benchmark, warmups, count, () -> round[0]++ / variants.length, variants);
    }

    /** Runs the variants in turn, {@code warmups} times unmeasured, then {@code count} times measured. */
    private static List<Measurement> measure(String benchmark, int warmups, int count, LongSupplier argument,
                                             Variant... variants) throws Exception {
        double[][] millis = new double[variants.length][count];
        for (int i = -warmups; i < count; i++) {
            for (int turn = 0; turn < variants.length; turn++) {
                int v = (i & 1) == 0 ? turn : variants.length - 1 - turn;
                long arg = argument.getAsLong();
                variants[v].before().run(arg);
                long start = System.nanoTime();
                variants[v].op().run(arg);
                if (i >= 0) {
                    millis[v][i] = (System.nanoTime() - start) / 1_000_000.0;
                }
            }
        }
        List<Measurement> results = new ArrayList<>();
        for (int v = 0; v < variants.length; v++) {
            results.add(new Measurement(benchmark, variants[v].name(), millis[v]));
        }
        return results;
    }
}
