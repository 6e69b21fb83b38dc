package io.pgpartition.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Measures cases against each other by running them in turn, one operation (or one round) of each at a time, each
 * turn in a new random order (the same for every run), so that drift in the machine falls on every case alike and
 * every case runs right after every other one as often. A case that follows a heavy one (an unpruned statement over
 * a thousand partitions, say) runs slower than on its own; the order reversed every other turn, as these benchmarks
 * once ran, put the case listed after the baseline right after it in half of its runs and no other case ever
 * ({@link Order#REVERSED}, kept to show that effect).
 */
final class Alternation {

    /** How each turn orders the cases. */
    enum Order {
        /** A new random order each turn, from a fixed seed. */
        SHUFFLED,
        /** The listed order, reversed every other turn. */
        REVERSED
    }

    /** The order every measurement uses; {@link Order#SHUFFLED} unless a benchmark shows the other. */
    static Order order = Order.SHUFFLED;

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
        java.util.Random random = new java.util.Random(42);
        List<Integer> turns = new ArrayList<>(java.util.stream.IntStream.range(0, variants.length).boxed().toList());
        for (int i = -warmups; i < count; i++) {
            if (order == Order.SHUFFLED) {
                java.util.Collections.shuffle(turns, random);
            }
            for (int turn = 0; turn < variants.length; turn++) {
                int v = order == Order.SHUFFLED ? turns.get(turn) : (i & 1) == 0 ? turn : variants.length - 1 - turn;
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
