package io.pgpartition.conversion;

import io.pgpartition.model.TableName;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether a table can be converted, and what converting it changes.
 *
 * @param table      the table
 * @param verdict    safe, needs changes, or blocked
 * @param blockers   why it cannot be converted as it is, each with the way out
 * @param changes    what the conversion changes that the team should know (a uniqueness that gains the key, ...),
 *                   each with its SQL
 * @param carried    what is carried over to the partitioned table unchanged (indexes, triggers, grants, views, ...)
 * @param rows       the table's rows (counted)
 * @param nullKeys   rows whose key is null
 * @param minKey     the least key, as text (empty table: null)
 * @param maxKey     the greatest key, as text (empty table: null)
 * @param partitions the partitions the partitioned table would have
 */
public record ConversionAnalysis(TableName table, Verdict verdict, List<String> blockers, List<Change> changes, List<String> carried,
                                 long rows, long nullKeys, String minKey, String maxKey, List<String> partitions) {

    /** The verdict of an analysis. */
    public enum Verdict {
        /** Converted as it is, nothing the team needs to decide. */
        SAFE,
        /** Converted, with changes the team should review (listed with their SQL). */
        NEEDS_CHANGES,
        /** Cannot be converted until the blockers are dealt with. */
        BLOCKED
    }

    /** One change the conversion makes, and its SQL. */
    public record Change(String description, String sql) {
    }

    public ConversionAnalysis {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(verdict, "verdict");
        blockers = List.copyOf(blockers);
        changes = List.copyOf(changes);
        carried = List.copyOf(carried);
        partitions = List.copyOf(partitions);
    }

    /** The analysis as text for a terminal: verdict first, then blockers, changes with SQL, what is carried, the data. */
    public String report() {
        List<String> lines = new ArrayList<>();
        lines.add(table + ": " + switch (verdict) {
            case SAFE -> "safe to convert";
            case NEEDS_CHANGES -> "can be converted, with the changes below";
            case BLOCKED -> "blocked";
        });
        blockers.forEach(b -> lines.add("  blocked: " + b));
        for (Change change : changes) {
            lines.add("  change: " + change.description());
            lines.add("    " + change.sql());
        }
        carried.forEach(c -> lines.add("  carried over: " + c));
        lines.add("  rows: " + rows + (nullKeys > 0 ? " (" + nullKeys + " with a null key)" : "")
                + (minKey == null ? "" : "; keys from " + minKey + " to " + maxKey));
        lines.add("  partitions: " + partitions.size() + (partitions.isEmpty() ? "" : " (" + partitions.get(0)
                + (partitions.size() > 1 ? " ... " + partitions.get(partitions.size() - 1) : "") + ")"));
        return String.join("\n", lines) + "\n";
    }
}
