package io.pgpartition.maintenance.internal;

import io.pgpartition.annotations.Expiry;
import io.pgpartition.catalog.internal.Catalog;
import io.pgpartition.ddl.PartitionDdl;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.guard.internal.GuardSql;
import io.pgpartition.maintenance.MaintenanceAction;
import io.pgpartition.maintenance.MaintenanceFinding;
import io.pgpartition.model.ColumnType;
import io.pgpartition.model.Partition;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.RangeValue;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.NumericInterval;
import io.pgpartition.policy.RangePolicy;
import io.pgpartition.policy.TimeInterval;

import java.math.BigInteger;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Retention, in one place: which partitions expired, the actions that retire them (detach, then drop, archive or
 * keep), the finishing of what an interrupted run left (a detach pending, a detached table not yet dropped or
 * archived), and how a concurrent detach is run and reported when it stops halfway.
 *
 * <p>A detach in two transactions ({@code CONCURRENTLY}, or finishing one left pending) is preceded by a comment
 * marking the partition with what retention meant for it ({@link RetentionMark}), so that a run stopped between them
 * leaves a table that says so; the next run finds it and finishes the work.
 */
public final class RetentionPlan {

    private RetentionPlan() {
    }

    /** Adds to the draft the partitions whose upper bound lies at or before now minus the retention. */
    static void expire(Draft draft, RangePolicy policy, Instant now, Object current, ColumnType type) {
        if (policy.retention().isEmpty()) {
            return;
        }
        Object cutoff;
        if (policy.retention().get() instanceof TimeInterval keep) {
            ZonedDateTime local = now.atZone(policy.zone());
            ZonedDateTime back = switch (keep.unit()) {
                case DAY -> local.minusDays(keep.count());
                case WEEK -> local.minusWeeks(keep.count());
                case MONTH -> local.minusMonths(keep.count());
                case YEAR -> local.minusYears(keep.count());
            };
            cutoff = switch (type.kind()) {
                case DATE -> back.toLocalDate();
                case TIMESTAMP -> back.toLocalDateTime();
                default -> back.toInstant();
            };
        } else {
            if (current == null) {
                return;
            }
            BigInteger step = ((NumericInterval) policy.retention().get()).step();
            cutoff = type.coerce(RangePeriods.integral(current).subtract(step));
        }
        for (Partition partition : draft.layout().orderedPartitions()) {
            RangeValue to = ((RangeBound) partition.bound()).to().get(0);
            if (to.isValue() && type.compare(to.value(), cutoff) <= 0) {
                draft.expired().add(partition);
            }
        }
    }

    /**
     * The retention actions: first the table's partitions left {@code DETACH PENDING} (PostgreSQL allows one per table,
     * and no other concurrent detach until it is finished), then the expired partitions, then the tables an interrupted
     * run detached and did not drop or archive. A drop or archive whose second step the role could not do is not
     * started.
     */
    static void retire(Draft draft, Facts facts, boolean concurrentDetach, List<MaintenanceAction> actions) {
        TableName parent = draft.parent();
        Expiry expiry = draft.policy().range().map(RangePolicy::onExpiry).orElse(Expiry.DETACH);
        boolean concurrently = concurrentDetach && draft.layout().defaultPartition().isEmpty();
        List<Partition> retiring = new ArrayList<>();
        for (Partition partition : draft.layout().orderedPartitions()) {
            if (facts.detachPending().contains(partition.name())) {
                retiring.add(partition);
                draft.findings().add(pendingFinding(parent, partition.name(), RangePeriods.describe(partition.bound())));
            }
        }
        draft.expired().stream().filter(p -> !retiring.contains(p)).forEach(retiring::add);
        for (Partition partition : retiring) {
            boolean pending = facts.detachPending().contains(partition.name());
            boolean expired = draft.expired().contains(partition);
            Expiry then = expired ? expiry : Expiry.DETACH;
            String bound = RangePeriods.describe(partition.bound());
            if (then == Expiry.COLUMNAR) {
                toColumnar(draft, facts, partition, bound, actions);
                continue;
            }
            List<String> references = facts.references().getOrDefault(partition.name(), List.of());
            if (expired && !pending && !references.isEmpty()) {
                draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.REFERENCED_BY_FOREIGN_KEY, parent,
                        partition.name(), "Expired partition " + partition.name() + " " + bound
                                + " is kept whole: it is referenced by foreign key " + String.join(", ", references)
                                + ". Fix: delete or re-point the referencing rows and drop the foreign key, then run maintenance again."));
                continue;
            }
            if (!canFinish(draft, facts, partition.name(), then, bound)) {
                continue;
            }
            List<String> statements = new ArrayList<>();
            boolean marked = (concurrently || pending)
                    && (then != Expiry.DETACH || !facts.access().notOwned().containsKey(partition.name()));
            if (marked) {
                statements.add(PartitionDdl.comment(partition.name(), then == Expiry.DETACH
                        ? RetentionMark.detached(parent, bound) : mark(draft, then).comment(bound)));
            }
            statements.add(pending ? PartitionDdl.detachFinalize(parent, partition.name())
                    : PartitionDdl.detach(parent, partition.name(), concurrently));
            statements.addAll(secondStep(draft, facts, partition.name(), then, bound, marked));
            String what = switch (then) {
                case DETACH -> "detach";
                case DROP -> "detach and drop";
                case ARCHIVE -> "detach and archive into " + draft.archiveSchema();
                case COLUMNAR -> throw new IllegalStateException("columnar retention detaches nothing");
            };
            actions.add(new MaintenanceAction(kind(then), parent, partition.name(), what + (expired ? " expired " : " ")
                    + partition.name() + " " + bound
                    + (pending ? " (finishing an interrupted concurrent detach)" : concurrently ? " (concurrently)" : ""),
                    statements, !(concurrently || pending)));
        }
        for (Facts.Leftover leftover : facts.leftovers()) {
            if (!leftover.mark().parent().equals(parent)) {
                continue;
            }
            Expiry then = leftover.mark().expiry();
            String schema = leftover.mark().archiveSchema().orElse(null);
            draft.findings().add(leftoverFinding(leftover));
            Draft own = draft.archivingInto(schema);
            if (!canFinish(own, facts, leftover.table(), then, leftover.bound())) {
                continue;
            }
            actions.add(new MaintenanceAction(kind(then), parent, leftover.table(), "finish retention of " + leftover.table()
                    + " " + leftover.bound() + ": " + (then == Expiry.DROP ? "drop" : "archive into " + schema)
                    + " (detached from " + parent + " by an interrupted run)",
                    secondStep(own, facts, leftover.table(), then, leftover.bound(), false), true));
        }
    }

    /** The names retention would move tables to, whose existence the database must tell. */
    static void namesToCheck(Draft draft, List<Facts.Leftover> leftovers, List<TableName> names) {
        if (draft.policy().range().map(RangePolicy::onExpiry).orElse(null) == Expiry.ARCHIVE) {
            draft.expired().forEach(p -> names.add(TableName.of(draft.archiveSchema(), p.name().name())));
        }
        leftovers.stream().filter(l -> l.mark().parent().equals(draft.parent()) && l.mark().archiveSchema().isPresent())
                .forEach(l -> names.add(TableName.of(l.mark().archiveSchema().get(), l.table().name())));
    }

    /** What interrupted maintenance left: a finding per partition left detach pending and per table not yet dropped or archived. */
    public static List<MaintenanceFinding> interrupted(List<Catalog.PendingDetach> pending, List<Facts.Leftover> leftovers) {
        List<MaintenanceFinding> findings = new ArrayList<>();
        pending.forEach(detach -> findings.add(pendingFinding(detach.parent(), detach.partition(), detach.bound())));
        leftovers.forEach(leftover -> findings.add(leftoverFinding(leftover)));
        return findings;
    }

    /** The finding for a partition left {@code DETACH PENDING}. */
    static MaintenanceFinding pendingFinding(TableName parent, TableName partition, String bound) {
        return MaintenanceFinding.of(MaintenanceFinding.Kind.DETACH_PENDING, parent, partition, "Partition " + partition + " "
                + bound + " of " + parent + " is left DETACH PENDING by an interrupted concurrent detach: its rows are not "
                + "visible through " + parent + ", and no other partition of it can be detached concurrently until it is "
                + "finished. Fix: run maintenance, which finishes it, or " + PartitionDdl.detachFinalize(parent, partition) + ".");
    }

    /** The finding for a table retention detached and did not drop or archive. */
    static MaintenanceFinding leftoverFinding(Facts.Leftover leftover) {
        RetentionMark mark = leftover.mark();
        return MaintenanceFinding.of(MaintenanceFinding.Kind.RETENTION_UNFINISHED, mark.parent(), leftover.table(),
                "Table " + leftover.table() + " " + leftover.bound() + " was detached from " + mark.parent() + " by retention to be "
                        + (mark.expiry() == Expiry.DROP ? "dropped" : "archived into " + mark.archiveSchema().orElseThrow())
                        + ", but the run stopped before that: it still holds its rows as a plain table. Fix: run maintenance of "
                        + mark.parent() + ", which finishes it.");
    }

    private static RetentionMark mark(Draft draft, Expiry expiry) {
        return new RetentionMark(draft.parent(), expiry, expiry == Expiry.ARCHIVE ? Optional.of(draft.archiveSchema()) : Optional.empty());
    }

    private static MaintenanceAction.Kind kind(Expiry expiry) {
        return switch (expiry) {
            case DETACH -> MaintenanceAction.Kind.DETACH;
            case DROP -> MaintenanceAction.Kind.DROP;
            case ARCHIVE -> MaintenanceAction.Kind.ARCHIVE;
            case COLUMNAR -> MaintenanceAction.Kind.COLUMNAR;
        };
    }

    /**
     * What follows the detach, in one transaction: the drop; or for a kept table, removing the server guard's trigger
     * and, for an archive, creating the archive schema if it is missing, the move, and a comment saying where the table
     * came from; a table only detached gets that comment too where the role owns it (so reports can list it), unless
     * it was {@code marked} with it before a detach in two transactions.
     */
    private static List<String> secondStep(Draft draft, Facts facts, TableName table, Expiry expiry, String bound, boolean marked) {
        List<String> statements = new ArrayList<>();
        if (expiry == Expiry.DROP) {
            statements.add(PartitionDdl.drop(table));
            return statements;
        }
        if (facts.guarded().contains(draft.parent())) {
            statements.add(GuardSql.dropTrigger(GuardSql.WRITE_TRIGGER, table));
        }
        if (expiry == Expiry.ARCHIVE) {
            if (!facts.access().schemaExists(draft.archiveSchema())) {
                statements.add(PartitionDdl.createSchemaIfNotExists(draft.archiveSchema()));
            }
            statements.add(PartitionDdl.moveToSchema(table, draft.archiveSchema()));
            statements.add(PartitionDdl.comment(TableName.of(draft.archiveSchema(), table.name()),
                    RetentionMark.archived(draft.parent(), bound)));
        } else if (!marked && !facts.access().notOwned().containsKey(table)) {
            statements.add(PartitionDdl.comment(table, RetentionMark.detached(draft.parent(), bound)));
        }
        return statements;
    }

    /**
     * Whether the role can do what follows the detach of {@code table}, and the name is free where it goes; if not, a
     * finding saying what is missing and how to grant it, and nothing is started.
     */
    private static boolean canFinish(Draft draft, Facts facts, TableName table, Expiry expiry, String bound) {
        if (expiry == Expiry.DETACH) {
            return true;
        }
        String what = (expiry == Expiry.DROP ? "dropping " : "archiving into " + draft.archiveSchema() + " ") + table;
        Facts.Access access = facts.access();
        String owner = access.notOwned().get(table);
        if (owner != null) {
            draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.PRIVILEGE_MISSING, draft.parent(), table,
                    "Expired partition " + table + " " + bound + " is kept: " + what + " needs its owner's privileges, and role "
                            + access.role() + " is not " + owner + " nor a member of it. Nothing was changed. Fix: GRANT "
                            + Sql.identifier(owner) + " TO " + Sql.identifier(access.role()) + "; or run maintenance as " + owner + "."));
            return false;
        }
        if (expiry == Expiry.ARCHIVE) {
            String schema = draft.archiveSchema();
            TableName archived = TableName.of(schema, table.name());
            if (facts.existing().contains(archived)) {
                draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.NAME_TAKEN, draft.parent(), table,
                        "Expired partition " + table + " is not archived: " + archived + " already exists. "
                                + "Fix: rename or drop " + archived + ", or archive into another schema."));
                return false;
            }
            if (access.role() != null && !access.schemas().getOrDefault(schema, access.createsSchema())) {
                boolean exists = access.schemaExists(schema);
                draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.PRIVILEGE_MISSING, draft.parent(), table,
                        "Expired partition " + table + " " + bound + " is kept: archiving it needs "
                                + (exists ? "USAGE and CREATE on schema " + schema : "schema " + schema + ", which does not exist, and CREATE on "
                                + "the database to create it,") + " and role " + access.role() + " lacks it. Nothing was changed. Fix: "
                                + (exists ? "GRANT USAGE, CREATE ON SCHEMA " + Sql.identifier(schema) + " TO " + Sql.identifier(access.role())
                                : "CREATE SCHEMA " + Sql.identifier(schema) + " AUTHORIZATION " + Sql.identifier(access.role()))
                                + "; or archive into a schema the role may create in (--archive-schema)."));
                return false;
            }
        }
        return true;
    }

    // ---- running a retirement that is not one transaction ----

    /** The index of a concurrent action's detach statement (plain, concurrent or finalize). */
    static int detachIndex(MaintenanceAction action) {
        for (int i = 0; i < action.statements().size(); i++) {
            String statement = action.statements().get(i);
            if (statement.equals(PartitionDdl.detach(action.table(), action.partition(), true))
                    || statement.equals(PartitionDdl.detachFinalize(action.table(), action.partition()))
                    || statement.equals(PartitionDdl.detach(action.table(), action.partition(), false))) {
                return i;
            }
        }
        return action.statements().size() - 1;
    }

    /**
     * The statement to run again after an attempt at a concurrent detach was interrupted: it left the partition
     * {@code DETACH PENDING} if {@code pending}, and only {@code FINALIZE} completes it.
     */
    static String retryOf(MaintenanceAction action, String statement, boolean pending) {
        return pending && statement.equals(PartitionDdl.detach(action.table(), action.partition(), true))
                ? PartitionDdl.detachFinalize(action.table(), action.partition()) : statement;
    }

    /** Whether {@code statement} of the action is its concurrent detach, which may leave the partition pending. */
    static boolean isConcurrentDetach(MaintenanceAction action, String statement) {
        return statement.equals(PartitionDdl.detach(action.table(), action.partition(), true));
    }

    /**
     * What state a concurrent action left its partition in, and what the next run does about it, after it stopped
     * with {@code ran} of its statements done ({@code detachAt} is the detach's index; {@code pending} whether the
     * partition is left detach pending, null when that could not be asked).
     */
    static String stateAfter(MaintenanceAction action, int ran, int detachAt, Boolean pending) {
        TableName partition = action.partition();
        String next = switch (action.kind()) {
            case DROP -> " and drops it";
            case ARCHIVE -> " and archives it";
            default -> "";
        };
        boolean marked = detachAt > 0;
        if (ran > detachAt) {
            return partition + " is detached from " + action.table() + " and keeps its rows as a plain table, marked for "
                    + "retention (check reports it as RETENTION_UNFINISHED); the next run" + next.replace(" and", "") + ".";
        }
        if (ran < detachAt) {
            return "Nothing of it was changed.";
        }
        if (Boolean.FALSE.equals(pending)) {
            return partition + " is still a partition of " + action.table() + " with all its rows" + (marked ? " (its comment "
                    + "marks it for retention)" : "") + "; the next run tries again.";
        }
        return partition + (pending == null ? " may be left" : " is left") + " DETACH PENDING: its rows are not visible through "
                + action.table() + ", and no other partition of it can be detached concurrently until it is finished. The next "
                + "run finishes the detach (FINALIZE)" + next + ".";
    }

    /**
     * Retention to the columnar access method: the expired partition stays attached and is rewritten once with Citus'
     * {@code alter_table_set_access_method}; where the database has no columnar access method, or the table has what
     * columnar tables cannot have, one finding says so and nothing is started (Citus would refuse halfway).
     */
    private static void toColumnar(Draft draft, Facts facts, Partition partition, String bound, List<MaintenanceAction> actions) {
        TableName parent = draft.parent();
        Facts.Columnar columnar = facts.columnar();
        if (columnar.done().contains(partition.name())) {
            return;
        }
        List<String> forbidden = columnar.forbidden().getOrDefault(parent, List.of());
        if (!columnar.available() || !forbidden.isEmpty()) {
            boolean reported = draft.findings().stream().anyMatch(f -> f.kind() == MaintenanceFinding.Kind.COLUMNAR_REFUSED);
            if (!reported) {
                draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.COLUMNAR_REFUSED, parent, partition.name(),
                        !columnar.available()
                                ? "Expired partitions of " + parent + " are kept as they are: retention rewrites them to the columnar "
                                + "access method, which this database does not have. Fix: CREATE EXTENSION citus_columnar (it comes "
                                + "with Citus), or retire them another way (--on-expiry detach, drop or archive)."
                                : "Expired partitions of " + parent + " are kept as they are: retention rewrites them to the columnar "
                                + "access method, and columnar tables cannot have the " + String.join(", ", forbidden) + " of "
                                + parent + ". Fix: drop " + (forbidden.size() == 1 ? "it" : "them") + ", or retire the partitions "
                                + "another way (--on-expiry detach, drop or archive)."));
            }
            return;
        }
        actions.add(new MaintenanceAction(MaintenanceAction.Kind.COLUMNAR, parent, partition.name(), "rewrite expired "
                + partition.name() + " " + bound + " to the columnar access method (it stays attached)",
                List.of("SELECT pg_catalog.alter_table_set_access_method(" + Sql.literal(Sql.table(partition.name()))
                        + ", 'columnar')"), true));
    }
}
