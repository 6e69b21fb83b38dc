package io.pgpartition.pruning;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * What the unpruned-statement sentinels saw while someone watched: a test opens a {@link Watch}, runs, and fails if
 * the watch saw an unpruned statement ({@code pgpartition-test}'s {@code @FailOnUnprunedStatements} does exactly
 * that). While a watch is open, the sentinels look at statements even where {@code pgpartition.unpruned_statements}
 * is {@code off}.
 */
public final class UnprunedStatements {

    private static final Set<Watch> WATCHES = new CopyOnWriteArraySet<>();

    private UnprunedStatements() {
    }

    /** Starts watching; {@link Watch#close()} stops. */
    public static Watch watch() {
        Watch watch = new Watch();
        WATCHES.add(watch);
        return watch;
    }

    /** Whether a watch is open. */
    public static boolean watching() {
        return !WATCHES.isEmpty();
    }

    /** Tells every open watch about an unpruned statement that ran (called by the sentinels). */
    public static void report(UnprunedStatement statement) {
        for (Watch watch : WATCHES) {
            watch.add(statement);
        }
    }

    /** The unpruned statements run while it is open, each text once, in the order they first ran. */
    public static final class Watch implements AutoCloseable {

        private final List<UnprunedStatement> statements = new ArrayList<>();

        private Watch() {
        }

        private synchronized void add(UnprunedStatement statement) {
            if (statements.stream().noneMatch(seen -> seen.sql().equals(statement.sql()))) {
                statements.add(statement);
            }
        }

        /** The unpruned statements seen so far. */
        public synchronized List<UnprunedStatement> statements() {
            return List.copyOf(statements);
        }

        /** Stops watching. */
        @Override
        public void close() {
            WATCHES.remove(this);
        }
    }
}
