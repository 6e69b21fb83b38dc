package io.pgpartition.catalog;

import io.pgpartition.model.TableName;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A table (or other relation) as the catalog describes it: what it is, where it sits in a partition tree, its
 * columns, unique constraints, and the foreign keys of other tables that reference it.
 *
 * @param name              the schema-qualified name
 * @param kind              table, partitioned table, view, ...
 * @param parent            the table this is a partition of, if it is one
 * @param root              the top of the partition tree this is a partition of, if it is one
 * @param columns           columns in position order
 * @param uniqueConstraints primary key, unique constraints and unique indexes
 * @param referencedBy      foreign keys of any table that point at this one
 */
public record Relation(TableName name, RelationKind kind, Optional<TableName> parent, Optional<TableName> root,
                       List<Column> columns, List<UniqueConstraint> uniqueConstraints, List<ForeignKey> referencedBy) {

    public Relation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        columns = List.copyOf(columns);
        uniqueConstraints = List.copyOf(uniqueConstraints);
        referencedBy = List.copyOf(referencedBy);
    }

    /** Whether this relation is a partition of another table. */
    public boolean isPartition() {
        return parent.isPresent();
    }

    /** Whether this relation is a partitioned table (possibly itself a partition). */
    public boolean isPartitioned() {
        return kind == RelationKind.PARTITIONED_TABLE;
    }

    public Optional<Column> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    public Optional<UniqueConstraint> primaryKey() {
        return uniqueConstraints.stream().filter(UniqueConstraint::primaryKey).findFirst();
    }
}
