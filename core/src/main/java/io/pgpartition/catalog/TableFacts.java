package io.pgpartition.catalog;

import io.pgpartition.model.TableName;

import java.util.List;
import java.util.Optional;

/**
 * Everything about one plain table that converting it into a partitioned one must carry over or change, as the
 * catalog says it (see {@link TableReader}).
 *
 * @param name        the table, schema-qualified
 * @param kind        {@code pg_class.relkind}: {@code r} for a plain table, {@code p} for a partitioned one
 * @param owner       the owning role
 * @param comment     the table's comment
 * @param rowSecurity whether row-level security is enabled
 * @param columns     the columns in order
 * @param constraints primary key, unique, exclusion, check and outgoing foreign-key constraints
 * @param indexes     indexes that back no constraint
 * @param triggers    user triggers (not internal ones)
 * @param sequences   sequences owned by a column (serial or identity)
 * @param referencedBy foreign keys of other tables that reference this one
 * @param views       views and materialized views that depend on it
 * @param grants      privileges granted on it, as {@code GRANT} statements with {@code %s} for the table
 * @param policies    row-level security policies, as {@code CREATE POLICY} statements with {@code %s} for the table
 * @param estimatedRows the planner's estimate
 */
public record TableFacts(TableName name, String kind, String owner, Optional<String> comment, boolean rowSecurity,
                         List<Column> columns, List<Constraint> constraints, List<Index> indexes, List<Trigger> triggers,
                         List<OwnedSequence> sequences, List<Reference> referencedBy, List<View> views, List<String> grants,
                         List<String> policies, long estimatedRows) {

    /**
     * A column.
     *
     * @param type      as {@code format_type} prints it, modifiers included
     * @param baseType  the type's internal name ({@code pg_type.typname}, such as {@code timestamptz})
     * @param identity  {@code a} (ALWAYS), {@code d} (BY DEFAULT) or empty
     * @param generated {@code s} for a stored generated column, or empty
     * @param defaultExpression its default, as PostgreSQL prints it
     */
    public record Column(String name, String type, String baseType, boolean notNull, String identity, String generated,
                         Optional<String> defaultExpression, Optional<String> comment) {

        public boolean isIdentity() {
            return !identity.isEmpty();
        }

        public boolean isGenerated() {
            return !generated.isEmpty();
        }
    }

    /**
     * A constraint.
     *
     * @param type       {@code p}, {@code u}, {@code x}, {@code c} or {@code f}
     * @param columns    the columns it is on (for p, u, x, f)
     * @param definition as {@code pg_get_constraintdef} prints it
     * @param selfReference for a foreign key, whether it references its own table
     */
    public record Constraint(String name, String type, List<String> columns, String definition, boolean selfReference) {
    }

    /** An index backing no constraint, with its definition as {@code pg_get_indexdef} prints it. */
    public record Index(String name, boolean unique, List<String> columns, boolean expression, String definition) {
    }

    /** A user trigger with its definition as {@code pg_get_triggerdef} prints it. */
    public record Trigger(String name, String definition) {
    }

    /** A sequence owned by a column, through {@code serial} or an identity. */
    public record OwnedSequence(TableName sequence, String column, boolean identity) {
    }

    /** A foreign key of another table referencing this one, with its definition as {@code pg_get_constraintdef} prints it. */
    public record Reference(String constraint, TableName table, List<String> columns, List<String> referencedColumns,
                            String definition) {

        @Override
        public String toString() {
            return table + "(" + String.join(", ", columns) + ")";
        }
    }

    /** A view or materialized view depending on the table. */
    public record View(TableName name, boolean materialized, String definition) {
    }

    /** A column by name. */
    public Optional<Column> column(String column) {
        return columns.stream().filter(c -> c.name().equals(column)).findFirst();
    }

    /** The primary key, if any. */
    public Optional<Constraint> primaryKey() {
        return constraints.stream().filter(c -> c.type().equals("p")).findFirst();
    }
}
