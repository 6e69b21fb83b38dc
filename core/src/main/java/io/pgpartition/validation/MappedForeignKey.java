package io.pgpartition.validation;

import io.pgpartition.model.TableName;

import java.util.List;

/**
 * A foreign key the mapping declares from some table to a partitioned entity's table.
 *
 * @param source            who declares it: an entity name, or a collection role for a join or collection table
 * @param table             the referencing table
 * @param columns           the referencing columns
 * @param referencedColumns the referenced columns (the primary key columns when the key references the identifier)
 * @param constraint        whether a database constraint is created ({@code false} for
 *                          {@code @ForeignKey(ConstraintMode.NO_CONSTRAINT)})
 */
public record MappedForeignKey(String source, TableName table, List<String> columns, List<String> referencedColumns,
                               boolean constraint) {

    public MappedForeignKey {
        columns = List.copyOf(columns);
        referencedColumns = List.copyOf(referencedColumns);
    }
}
