package io.pgpartition.conversion.internal;

import io.pgpartition.catalog.internal.TableData;
import io.pgpartition.catalog.internal.TableFacts;
import io.pgpartition.conversion.ConversionAnalysis;
import io.pgpartition.conversion.ConversionSpec;
import io.pgpartition.model.PartitionBound;
import io.pgpartition.model.TableName;

import java.util.List;

/**
 * One conversion as planned from the facts: what blocks it, what it changes and carries, and the statements of each
 * step that does not depend on data read while it runs.
 *
 * @param identity   the columns that identify a row of the original
 * @param insertable the columns a copy writes
 * @param allColumns every column, in order
 * @param partitions the twin's partitions
 * @param prepare    the statements of the prepare step, in one transaction
 * @param swap       the statements of the swap, in one transaction under the lock timeout
 * @param afterSwap  statements for right after the swap, each in its own transaction, recorded in the state so that
 *                   the next run does what an interruption left undone: foreign keys re-pointed at the swap
 *                   validated, autovacuum given back to the partitions
 */
public record Blueprint(ConversionSpec spec, TableFacts facts, Names names, TableData data, List<String> identity,
                        List<String> insertable, List<String> allColumns, List<Partition> partitions, List<String> blockers,
                        List<ConversionAnalysis.Change> changes, List<String> carried, ChangeLog log, List<String> prepare,
                        List<String> swap, List<String> afterSwap) {

    /** A partition of the twin. */
    public record Partition(TableName name, PartitionBound bound) {
    }

    public boolean convertible() {
        return blockers.isEmpty();
    }
}
