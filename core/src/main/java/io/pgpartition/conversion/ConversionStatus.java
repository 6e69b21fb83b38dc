package io.pgpartition.conversion;

import io.pgpartition.model.TableName;

import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Where a conversion stands, as recorded in the database.
 *
 * @param table      the table being converted (its name before and after the swap)
 * @param phase      how far it got
 * @param twin       the partitioned twin's name before the swap
 * @param retired    the name the original table takes at the swap
 * @param rowsCopied rows copied by the batches so far (writes mirrored by the trigger not counted)
 * @param rowsTotal  the table's rows when the copy started
 * @param startedAt  when the conversion began (empty when none is recorded)
 * @param updatedAt  when it last moved on
 */
public record ConversionStatus(TableName table, Phase phase, TableName twin, TableName retired, long rowsCopied, long rowsTotal,
                               Optional<OffsetDateTime> startedAt, Optional<OffsetDateTime> updatedAt) {

    /** How far a conversion got. */
    public enum Phase {
        /** No conversion is recorded for the table. */
        NONE,
        /** The twin, its partitions, the change log and its trigger exist; no row copied yet. */
        PREPARED,
        /** Rows are being copied. */
        COPYING,
        /** Every row is copied; the counts and checksums are not compared yet. */
        COPIED,
        /** Counts and checksums match per partition; the swap is next. */
        VERIFIED,
        /** The partitioned table has the table's name; the original is kept under the retired name until cleanup. */
        SWAPPED
    }

    /** One line for a terminal. */
    public String describe() {
        return switch (phase) {
            case NONE -> table + ": no conversion recorded";
            case PREPARED -> table + ": prepared (twin " + twin + " and the change log's trigger exist); run again to copy";
            case COPYING -> table + ": copying, " + rowsCopied + " of about " + rowsTotal + " rows copied; run again to resume";
            case COPIED -> table + ": copied " + rowsCopied + " rows; run again to verify and swap";
            case VERIFIED -> table + ": verified; run again to swap";
            case SWAPPED -> table + ": swapped; the original is kept as " + retired + " and every write logged for a rollback until cleanup "
                    + "(convert cleanup --confirm) or rollback (convert rollback)";
        };
    }
}
