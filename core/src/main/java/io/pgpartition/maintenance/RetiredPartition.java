package io.pgpartition.maintenance;

import io.pgpartition.model.TableName;

import java.util.Objects;

/**
 * A table that retention took out of its partitioned table and that still exists: left detach pending, detached and
 * waiting for its drop or archive (an interrupted run; the next one finishes it), or archived.
 *
 * @param table  the table
 * @param parent the partitioned table it belonged to
 * @param state  where retention left it
 * @param bound  the keys it held: its bound clause while it is still listed under the parent (detach pending), the range
 *               retention recorded ({@code [2026-01-01, 2026-02-01)}) once it is detached or archived
 */
public record RetiredPartition(TableName table, TableName parent, State state, String bound) {

    /** Where retention left the table. */
    public enum State {
        /** {@code DETACH ... CONCURRENTLY} did not finish: still listed under the parent, its rows invisible through it. */
        DETACH_PENDING,
        /** Detached to be dropped; the next maintenance run drops it. */
        DETACHED_TO_DROP,
        /** Detached to be archived; the next maintenance run moves it to the archive schema. */
        DETACHED_TO_ARCHIVE,
        /** Detached by a policy that keeps expired partitions ({@code onExpiry = DETACH}): a plain table, kept as it is. */
        DETACHED,
        /** Archived: a plain table in the archive schema, kept for reading. */
        ARCHIVED
    }

    public RetiredPartition {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(bound, "bound");
    }
}
