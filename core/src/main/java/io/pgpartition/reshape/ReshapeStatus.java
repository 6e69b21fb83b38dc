package io.pgpartition.reshape;

import io.pgpartition.model.TableName;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Where the reshape of a table stands, as recorded in the table {@value PartitionReshape#STATE_TABLE} of its schema.
 *
 * @param table       the partitioned table
 * @param phase       how far it got
 * @param description what it does, such as {@code split public.orders_p20261201 into 31 partitions of 1 day}
 * @param replaced    the partitions it replaces (under their names after the swap)
 * @param created     the partitions it creates
 * @param rowsCopied  rows copied so far
 * @param rowsTotal   rows of the replaced partitions when it began
 */
public record ReshapeStatus(TableName table, Phase phase, String description, List<TableName> replaced, List<TableName> created,
                            long rowsCopied, long rowsTotal, Optional<OffsetDateTime> startedAt, Optional<OffsetDateTime> updatedAt) {

    /** The phases of a reshape, in order. */
    public enum Phase {
        /** Nothing recorded. */
        NONE,
        /** The new partitions exist as tables beside the table, and the writes of the replaced ones are logged. */
        PREPARED,
        /** Rows are being copied in batches. */
        COPYING,
        /** Every row present when the copy began is copied. */
        COPIED,
        /** Counts and checksums of each new partition match. */
        VERIFIED,
        /** The new partitions are attached in place of the replaced ones, which are kept (and kept in sync) until cleanup. */
        SWAPPED
    }

    public ReshapeStatus {
        replaced = List.copyOf(replaced);
        created = List.copyOf(created);
    }

    /** One line, such as {@code public.orders: split ... — copying, 1200000 of 5000000 rows}. */
    public String describe() {
        if (phase == Phase.NONE) {
            return table + ": no reshape recorded";
        }
        String where = switch (phase) {
            case PREPARED -> "prepared";
            case COPYING -> "copying, " + rowsCopied + " of " + rowsTotal + " rows";
            case COPIED -> "copied " + rowsCopied + " rows";
            case VERIFIED -> "verified, the swap is next";
            case SWAPPED -> "swapped; the replaced partitions are kept for a rollback until cleanup";
            default -> phase.name().toLowerCase();
        };
        return table + ": " + description + " — " + where;
    }
}
