package io.pgpartition.benchmarks;

/**
 * Runs an action for warm-up, then times each of a number of repetitions.
 */
final class Timer {

    /** An action that may fail with a checked exception. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    private Timer() {
    }

    static Measurement measure(String benchmark, String name, int warmups, int repetitions, Action action) throws Exception {
        for (int i = 0; i < warmups; i++) {
            action.run();
        }
        double[] millis = new double[repetitions];
        for (int i = 0; i < repetitions; i++) {
            long start = System.nanoTime();
            action.run();
            millis[i] = (System.nanoTime() - start) / 1_000_000.0;
        }
        return new Measurement(benchmark, name, millis);
    }
}
