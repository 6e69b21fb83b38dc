package io.pgpartition.pruning;

import java.util.function.Supplier;

/**
 * Marks the statements whose scan of every partition is meant (a report over all of history, an export), so that the
 * unpruned-statement sentinel lets them pass: those the current thread runs inside {@link #intended}, and those whose
 * SQL carries the comment {@code /* pgpartition:full-scan *}{@code /}.
 *
 * <pre>{@code
 * long total = FullScan.intended(() -> em.createQuery("select count(v) from Visit v", Long.class).getSingleResult());
 * }</pre>
 */
public final class FullScan {

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private FullScan() {
    }

    /** Runs {@code work}, whose statements may scan every partition, and returns what it returns. */
    public static <T> T intended(Supplier<T> work) {
        int[] depth = DEPTH.get();
        depth[0]++;
        try {
            return work.get();
        } finally {
            depth[0]--;
        }
    }

    /** Runs {@code work}, whose statements may scan every partition. */
    public static void intended(Runnable work) {
        intended(() -> {
            work.run();
            return null;
        });
    }

    /** Whether the current thread runs inside {@link #intended}. */
    public static boolean isIntended() {
        return DEPTH.get()[0] > 0;
    }
}
