package io.pgpartition.maintenance;

import io.pgpartition.model.TableName;

import java.util.List;
import java.util.Objects;

/**
 * One step of a maintenance plan and the exact statements it runs.
 *
 * @param kind          what it does
 * @param table         the parent table
 * @param partition     the partition it creates, detaches, drops or archives
 * @param description   one line for logs and dry runs, such as {@code create public.claims_p20261201 for
 *                      [2026-12-01, 2027-01-01)}
 * @param statements    the statements, in order
 * @param inTransaction whether the statements run together in one transaction; otherwise each runs on its own
 *                      (needed by {@code DETACH PARTITION ... CONCURRENTLY})
 */
public record MaintenanceAction(Kind kind, TableName table, TableName partition, String description,
                                List<String> statements, boolean inTransaction) {

    /** What an action does. */
    public enum Kind {
        /** Creates a partition as a standalone table, moves its rows out of the default partition, attaches it. */
        CREATE,
        /** Creates the default partition and attaches it. */
        CREATE_DEFAULT,
        /** Detaches an expired partition, leaving it as a plain table. */
        DETACH,
        /** Detaches an expired partition and drops it. */
        DROP,
        /** Detaches an expired partition and moves it to the archive schema. */
        ARCHIVE,
        /** Rewrites an expired partition, still attached, to the columnar access method. */
        COLUMNAR
    }

    public MaintenanceAction {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(description, "description");
        statements = List.copyOf(statements);
    }

    @Override
    public String toString() {
        return description;
    }
}
