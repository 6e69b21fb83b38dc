package io.pgpartition.maintenance;

import io.pgpartition.model.TableName;

import java.util.Objects;
import java.util.Optional;

/**
 * Something maintenance found and reports rather than changes (or could not change).
 *
 * @param kind      what it is
 * @param table     the parent table
 * @param partition the partition concerned, when one is
 * @param message   the whole story: table, partition, values, and what to do
 */
public record MaintenanceFinding(Kind kind, TableName table, Optional<TableName> partition, String message) {

    /** What a finding is about. */
    public enum Kind {
        /** Partitions are missing between now and the premake horizon. */
        HORIZON_SHORT(true),
        /** The default partition holds rows. */
        DEFAULT_HAS_ROWS(true),
        /** A key range in the past has no partition: rows with keys there are refused. */
        GAP(true),
        /** An expired partition is referenced by a foreign key, so retention leaves it whole. */
        REFERENCED_BY_FOREIGN_KEY(false),
        /** A relation that is not the expected partition already has the name a partition needs. */
        NAME_TAKEN(true),
        /** A partition the policy wants would overlap partitions laid out differently. */
        OVERLAP(true),
        /** The policy does not fit the table (strategy or key type). */
        POLICY_MISMATCH(true),
        /** The table does not exist or is not partitioned. */
        TABLE_MISSING(true),
        /** A partition bound of the table cannot be read (a date beyond what Java represents, say). */
        UNREADABLE(true),
        /**
         * A partition was left {@code DETACH PENDING} by an interrupted {@code DETACH ... CONCURRENTLY}: its rows are
         * invisible through the parent, and the table's next concurrent detach fails until it is finished.
         */
        DETACH_PENDING(true),
        /**
         * A table that retention detached to drop or archive is still there as a plain table (the run stopped between
         * the detach and the second step); the next run finishes it.
         */
        RETENTION_UNFINISHED(true),
        /** The role running maintenance lacks a privilege an action needs; the action was not started. */
        PRIVILEGE_MISSING(true),
        /** A statement kept timing out on a lock, and maintenance gave up on its action. */
        GAVE_UP(true),
        /** An action failed for another reason; its transaction was rolled back. */
        FAILED(true),
        /**
         * Retention would rewrite expired partitions to the columnar access method, which the database or the table does
         * not allow (no {@code citus_columnar}; foreign keys or {@code AFTER ROW} triggers): they are left as they are.
         */
        COLUMNAR_REFUSED(true);

        private final boolean problem;

        Kind(boolean problem) {
            this.problem = problem;
        }

        /** Whether this kind means the table is not as its policy wants it. */
        public boolean isProblem() {
            return problem;
        }
    }

    public MaintenanceFinding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(message, "message");
    }

    public static MaintenanceFinding of(Kind kind, TableName table, String message) {
        return new MaintenanceFinding(kind, table, Optional.empty(), message);
    }

    public static MaintenanceFinding of(Kind kind, TableName table, TableName partition, String message) {
        return new MaintenanceFinding(kind, table, Optional.of(partition), message);
    }

    @Override
    public String toString() {
        return "[" + kind + "] " + message;
    }
}
