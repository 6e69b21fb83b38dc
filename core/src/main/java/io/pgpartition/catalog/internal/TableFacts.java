package io.pgpartition.catalog.internal;

import io.pgpartition.catalog.internal.TableReader;
import io.pgpartition.model.TableName;

import java.util.List;
import java.util.Optional;

/**
 * Everything about one table that converting it into a partitioned one must carry over, change or refuse, as the
 * catalog says it (see {@link TableReader}). Definitions are printed with {@code search_path} set to {@code pg_catalog}
 * alone, so every name in them is qualified and they mean the same wherever they run.
 *
 * @param name          the table, schema-qualified
 * @param kind          {@code pg_class.relkind}: {@code r} for a plain table, {@code p} for a partitioned one
 * @param persistence   {@code p} (permanent), {@code u} (unlogged) or {@code t} (temporary)
 * @param owner         the owning role
 * @param comment       the table's comment
 * @param rowSecurity   whether row-level security is enabled
 * @param forceRowSecurity whether it applies to the owner too ({@code FORCE ROW LEVEL SECURITY})
 * @param reloptions    storage parameters, as {@code name=value}
 * @param replicaIdentity {@code d} (default), {@code n} (nothing), {@code f} (full) or {@code i} (an index)
 * @param partitionOf   the partitioned table it is a partition of
 * @param inheritsFrom  the tables it inherits from (classic inheritance)
 * @param inheritedBy   the tables that inherit from it
 * @param columns       the columns in order
 * @param constraints   primary key, unique, exclusion, check and outgoing foreign-key constraints
 * @param indexes       indexes that back no constraint
 * @param triggers      user triggers of its own (not internal ones, nor a partition's clones of its parent's triggers)
 * @param rules         rewrite rules on the table (not a view's)
 * @param sequences     sequences owned by a column (serial or identity)
 * @param referencedBy  foreign keys of other tables that reference this one
 * @param views         views and materialized views that depend on it
 * @param otherRules    rules of other tables whose actions name this one
 * @param grants        privileges granted on it, as {@code GRANT} statements with {@code %s} for the table
 * @param policies      row-level security policies, as {@code CREATE POLICY} statements with {@code %s} for the table
 * @param publications  publications that publish it
 * @param rowTypeUsers  objects that use the table's row type (columns of other tables, functions), as PostgreSQL describes them
 * @param statistics    extended statistics objects on it
 * @param estimatedRows the planner's estimate
 * @param role          who reads: the current role and what it may do
 * @param serverVersion {@code server_version_num}
 * @param citus         on a Citus database, how Citus holds the table, if it does
 */
public record TableFacts(TableName name, String kind, String persistence, String owner, Optional<String> comment,
                         boolean rowSecurity, boolean forceRowSecurity, List<String> reloptions, String replicaIdentity,
                         Optional<TableName> partitionOf, List<TableName> inheritsFrom, List<TableName> inheritedBy,
                         List<Column> columns, List<Constraint> constraints, List<Index> indexes, List<Trigger> triggers,
                         List<Rule> rules, List<OwnedSequence> sequences, List<Reference> referencedBy, List<View> views,
                         List<String> otherRules, List<String> grants, List<String> policies, List<String> publications,
                         List<String> rowTypeUsers, List<Statistics> statistics, long estimatedRows, Role role, int serverVersion,
                         Optional<io.pgpartition.catalog.Distribution> citus) {

    /**
     * A column.
     *
     * @param type      as {@code format_type} prints it, modifiers included, schema-qualified outside {@code pg_catalog}
     * @param baseType  the type's internal name ({@code pg_type.typname}, such as {@code timestamptz})
     * @param identity  {@code a} (ALWAYS), {@code d} (BY DEFAULT) or empty
     * @param generated {@code s} for a stored generated column, or empty
     * @param defaultExpression its default, as PostgreSQL prints it
     * @param statistics its statistics target, or -1 for the default
     * @param grants    privileges granted on the column alone, as {@code GRANT} statements with {@code %s} for the table
     */
    public record Column(String name, String type, String baseType, boolean notNull, String identity, String generated,
                         Optional<String> defaultExpression, Optional<String> comment, int statistics, List<String> grants) {

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
     * @param definition as {@code pg_get_constraintdef} prints it (deferrability, {@code NOT VALID}, {@code NO INHERIT},
     *                   {@code INCLUDE}, {@code NULLS NOT DISTINCT} included)
     * @param selfReference for a foreign key, whether it references its own table
     * @param validated  false for a constraint added {@code NOT VALID} and not validated since
     * @param noInherit  whether it is {@code NO INHERIT}
     * @param deferrable whether it is {@code DEFERRABLE}
     */
    public record Constraint(String name, String type, List<String> columns, String definition, boolean selfReference,
                             boolean validated, boolean noInherit, boolean deferrable, Optional<String> comment) {
    }

    /** An index backing no constraint, with its definition as {@code pg_get_indexdef} prints it. */
    public record Index(String name, boolean unique, List<String> columns, boolean expression, String definition,
                        Optional<String> comment, boolean replicaIdentity) {
    }

    /**
     * A user trigger with its definition as {@code pg_get_triggerdef} prints it.
     *
     * @param enabled {@code O} (origin and local), {@code D} (disabled), {@code R} (replica) or {@code A} (always)
     */
    public record Trigger(String name, String definition, String enabled) {
    }

    /** A rewrite rule with its definition as {@code pg_get_ruledef} prints it, and its firing state as for triggers. */
    public record Rule(String name, String definition, String enabled) {
    }

    /**
     * A sequence owned by a column, through {@code serial} or an identity, with its options.
     *
     * @param options the options as {@code CREATE SEQUENCE} takes them ({@code AS bigint INCREMENT BY 1 ...})
     * @param grants  privileges granted on the sequence, as {@code GRANT} statements with {@code %s} for it
     */
    public record OwnedSequence(TableName sequence, String column, boolean identity, String options, List<String> grants) {
    }

    /**
     * A foreign key of another table referencing this one, with its definition as {@code pg_get_constraintdef} prints it.
     *
     * @param partitioned whether the referencing table is partitioned
     * @param validated   false while it is {@code NOT VALID}
     */
    public record Reference(String constraint, TableName table, List<String> columns, List<String> referencedColumns,
                            String definition, boolean partitioned, boolean validated) {

        @Override
        public String toString() {
            return table + "(" + String.join(", ", columns) + ")";
        }
    }

    /**
     * A view or materialized view depending on the table.
     *
     * @param options its options ({@code security_barrier=true}, {@code check_option=local}, {@code security_invoker=true})
     */
    public record View(TableName name, boolean materialized, String definition, List<String> options) {
    }

    /** An extended statistics object, with its definition as {@code pg_get_statisticsobjdef} prints it and its target (-1: default). */
    public record Statistics(TableName name, String definition, int target, Optional<String> comment) {
    }

    /**
     * The role that reads the facts.
     *
     * @param name      {@code current_user}
     * @param superuser whether it is a superuser
     * @param bypassRls whether row-level security never applies to it ({@code BYPASSRLS} or superuser)
     * @param owns      whether it has the privileges of the table's owner
     */
    public record Role(String name, boolean superuser, boolean bypassRls, boolean owns) {
    }

    /** A column by name. */
    public Optional<Column> column(String column) {
        return columns.stream().filter(c -> c.name().equals(column)).findFirst();
    }

    /** The primary key, if any. */
    public Optional<Constraint> primaryKey() {
        return constraints.stream().filter(c -> c.type().equals("p")).findFirst();
    }

    /** The facts without the triggers named. */
    public TableFacts withoutTriggers(List<String> names) {
        return new TableFacts(name, kind, persistence, owner, comment, rowSecurity, forceRowSecurity, reloptions, replicaIdentity,
                partitionOf, inheritsFrom, inheritedBy, columns, constraints, indexes,
                triggers.stream().filter(t -> !names.contains(t.name())).toList(), rules, sequences, referencedBy, views, otherRules,
                grants, policies, publications, rowTypeUsers, statistics, estimatedRows, role, serverVersion, citus);
    }
}
