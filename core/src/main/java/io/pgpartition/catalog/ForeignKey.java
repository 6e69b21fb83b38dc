package io.pgpartition.catalog;

import io.pgpartition.model.TableName;

import java.util.List;

/**
 * A foreign key constraint.
 *
 * @param name               the constraint name
 * @param referencing        the table holding the constraint
 * @param referencingColumns its columns, in order
 * @param referenced         the table it points at
 * @param referencedColumns  the columns it points at, in the same order
 */
public record ForeignKey(String name, TableName referencing, List<String> referencingColumns,
                         TableName referenced, List<String> referencedColumns) {

    public ForeignKey {
        referencingColumns = List.copyOf(referencingColumns);
        referencedColumns = List.copyOf(referencedColumns);
    }
}
