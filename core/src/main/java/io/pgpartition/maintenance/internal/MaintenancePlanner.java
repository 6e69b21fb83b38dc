package io.pgpartition.maintenance.internal;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.catalog.Relation;
import io.pgpartition.ddl.PartitionDdl;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.guard.internal.GuardSql;
import io.pgpartition.maintenance.MaintenanceAction;
import io.pgpartition.maintenance.MaintenanceFinding;
import io.pgpartition.maintenance.MaintenancePolicy;
import io.pgpartition.model.DefaultBound;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.HashPolicy;
import io.pgpartition.policy.ListPolicy;
import io.pgpartition.policy.PartitionPolicy;
import io.pgpartition.policy.RangePolicy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plans the maintenance of one table from facts and a time, without a connection: a first pass ({@link #draft}) says
 * what the policy wants and what expired; a second ({@link #actions}), given what the database answered about the
 * names and partitions the draft touches, gives the actions with their SQL.
 */
public final class MaintenancePlanner {

    /** The most partition creations that share one transaction (see {@link #batches}). */
    public static final int CREATIONS_PER_TRANSACTION = 50;

    private MaintenancePlanner() {
    }

    /**
     * The first pass: empty when the table is missing or does not fit its policy (then {@code findings} says so).
     *
     * @param current the table's greatest key value, for numeric range policies (null when empty or not asked)
     * @param rescued for a range policy rescuing its default partition: one key of every period holding rows there,
     *                in key order
     * @throws PartitioningException {@link ErrorCode#IDENTIFIER_INVALID} when a name the policy makes is too long
     */
    public static Optional<Draft> draft(MaintenancePolicy policy, CatalogSnapshot snapshot, Instant now, Object current,
                                        List<Object> rescued, List<MaintenanceFinding> findings) {
        TableName table = policy.table();
        Optional<Relation> relation = snapshot.relation(table);
        if (relation.isEmpty() || !relation.get().isPartitioned()) {
            findings.add(MaintenanceFinding.of(MaintenanceFinding.Kind.TABLE_MISSING, table, relation.isEmpty()
                    ? "Table " + table + " does not exist. Fix: create it partitioned by " + policy.strategy()
                    + ", or remove its maintenance policy."
                    : "Table " + relation.get().name() + " is not partitioned, so there is nothing to maintain. Fix: convert it "
                    + "to a partitioned table, or remove its maintenance policy."));
            return Optional.empty();
        }
        TableName parent = relation.get().name();
        Optional<PartitionedTable> readable = snapshot.partitionedTable(parent);
        if (readable.isEmpty()) {
            findings.add(MaintenanceFinding.of(MaintenanceFinding.Kind.UNREADABLE, parent, "Table " + parent
                    + " is not maintained: " + snapshot.unreadableTables().getOrDefault(parent, "its partitions could not be read")
                    + ". Fix: detach or re-create the partition whose bound pgpartition cannot read; the other tables are maintained."));
            return Optional.empty();
        }
        PartitionedTable layout = readable.get();
        if (layout.strategy() != policy.strategy()) {
            findings.add(MaintenanceFinding.of(MaintenanceFinding.Kind.POLICY_MISMATCH, parent, "Table " + parent
                    + " is partitioned by " + layout.key() + ", but its maintenance policy is for " + policy.strategy()
                    + " partitioning. Fix: correct the policy (or @PartitionedBy) to match the table."));
            return Optional.empty();
        }
        List<Partition> subpartitioned = layout.partitions().stream().filter(Partition::subpartitioned).toList();
        if (!subpartitioned.isEmpty()) {
            Partition first = subpartitioned.get(0);
            String key = snapshot.partitionedTable(first.name()).map(sub -> " is partitioned by " + sub.key()).orElse(" is partitioned");
            findings.add(MaintenanceFinding.of(MaintenanceFinding.Kind.POLICY_MISMATCH, parent, "Table " + parent
                    + " is not maintained: its partition " + first.name() + key + (subpartitioned.size() > 1 ? " (and "
                    + (subpartitioned.size() - 1) + " more of its partitions are partitioned)" : "") + ", and maintenance would "
                    + "create plain partitions beside it, changing the table's layout, and archive a partitioned partition without "
                    + "its own partitions. Fix: create, detach and drop the partitions of " + parent + " yourself (each new one "
                    + "partitioned like " + first.name() + "), or remove its maintenance policy."));
            return Optional.empty();
        }
        Draft empty = Draft.of(policy, relation.get(), layout);
        Draft draft = policy.policy().match(new PartitionPolicy.Cases<>() {
            @Override
            public Draft range(RangePolicy range) {
                return RangePlan.plan(empty, range, now, current, rescued);
            }

            @Override
            public Draft list(ListPolicy list) {
                return ListPlan.plan(empty, list);
            }

            @Override
            public Draft hash(HashPolicy hash) {
                return HashPlan.plan(empty, hash);
            }
        });
        for (Draft.Wanted wanted : draft.wanted()) {
            requireLength(parent, wanted.name().name(), policy);
        }
        if (draft.createDefault()) {
            requireLength(parent, defaultName(parent), policy);
        }
        return Optional.of(draft);
    }

    /** The names a draft would create or move partitions to, whose existence the database must tell. */
    public static List<TableName> namesToCheck(Draft draft, List<Facts.Leftover> leftovers) {
        List<TableName> names = new ArrayList<>();
        draft.wanted().forEach(w -> names.add(w.name()));
        if (draft.createDefault()) {
            names.add(draft.parent().sibling(defaultName(draft.parent())));
        }
        RetentionPlan.namesToCheck(draft, leftovers, names);
        return names;
    }

    /** The second pass: the actions of a draft, given what the database says. */
    public static List<MaintenanceAction> actions(Draft draft, Facts facts, boolean concurrentDetach) {
        List<MaintenanceAction> actions = new ArrayList<>();
        TableName parent = draft.parent();
        PartitionedTable layout = draft.layout();
        Optional<Partition> defaultPartition = layout.defaultPartition();
        List<String> missing = new ArrayList<>();
        for (Draft.Wanted wanted : draft.wanted()) {
            if (wanted.inHorizon()) {
                missing.add(wanted.name().name());
            }
            if (facts.existing().contains(wanted.name())) {
                draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.NAME_TAKEN, parent, wanted.name(),
                        "Partition " + wanted.name() + " for " + wanted.label() + " is not created: a relation named "
                                + wanted.name() + " already exists and is not a partition of " + parent
                                + ". Fix: attach it yourself if it holds the right rows, or rename or drop it."));
                continue;
            }
            List<String> statements = guarded(facts, parent, wanted.name(),
                    defaultPartition.isPresent() && PartitionDdl.canMoveDefaultRows(layout.key(), wanted.bound())
                    ? PartitionDdl.createMovingDefaultRowsThenAttach(parent, layout.key(), wanted.name(), wanted.bound(),
                    defaultPartition.get().name(), facts.insertableColumns().getOrDefault(parent, List.of()))
                    : PartitionDdl.createEmptyThenAttach(parent, wanted.name(), wanted.bound()));
            actions.add(new MaintenanceAction(MaintenanceAction.Kind.CREATE, parent, wanted.name(),
                    "create " + wanted.name() + " for " + wanted.label()
                            + (defaultPartition.isPresent() ? ", moving its rows out of " + defaultPartition.get().name().name() : ""),
                    statements, true));
        }
        if (!missing.isEmpty()) {
            draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.HORIZON_SHORT, parent, "Table " + parent
                    + " lacks " + missing.size() + " partition" + (missing.size() == 1 ? "" : "s") + " its policy wants now: "
                    + String.join(", ", missing) + ". Fix: run maintenance (pgpartition maintain, or "
                    + "pgpartition.maintenance=apply)."));
        }
        if (draft.createDefault()) {
            TableName name = parent.sibling(defaultName(parent));
            if (facts.existing().contains(name)) {
                draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.NAME_TAKEN, parent, name,
                        "The default partition " + name + " is not created: a relation of that name already exists. "
                                + "Fix: attach it as the default partition yourself, or rename or drop it."));
            } else {
                actions.add(new MaintenanceAction(MaintenanceAction.Kind.CREATE_DEFAULT, parent, name,
                        "create the default partition " + name,
                        guarded(facts, parent, name, List.of(PartitionDdl.createStandalone(parent, name),
                                PartitionDdl.attach(parent, name, DefaultBound.INSTANCE))),
                        true));
            }
        }
        RetentionPlan.retire(draft, facts, concurrentDetach, actions);
        return actions;
    }

    /**
     * The actions of one table in the transactions they run in. Without a default partition, an ATTACH locks nothing
     * that inserts or queries wait for (SHARE UPDATE EXCLUSIVE on the parent, the new table itself), so consecutive
     * creations share a transaction, up to {@value #CREATIONS_PER_TRANSACTION}; with one, each ATTACH also locks the
     * default partition (ACCESS EXCLUSIVE) and every action keeps its own short transaction.
     */
    public static List<List<MaintenanceAction>> batches(List<MaintenanceAction> actions, boolean noDefaultPartition) {
        List<List<MaintenanceAction>> batches = new ArrayList<>();
        List<MaintenanceAction> current = new ArrayList<>();
        for (MaintenanceAction action : actions) {
            boolean joins = noDefaultPartition && action.kind() == MaintenanceAction.Kind.CREATE && action.inTransaction();
            if (joins && !current.isEmpty() && current.size() < CREATIONS_PER_TRANSACTION) {
                current.add(action);
                continue;
            }
            if (!current.isEmpty()) {
                batches.add(current);
            }
            current = new ArrayList<>(List.of(action));
            if (!joins) {
                batches.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /** The statements that create a partition, followed on a guarded parent by the guard's trigger on it. */
    private static List<String> guarded(Facts facts, TableName parent, TableName partition, List<String> statements) {
        if (!facts.guarded().contains(parent)) {
            return statements;
        }
        List<String> withTrigger = new ArrayList<>(statements);
        withTrigger.add(GuardSql.writeTrigger(partition, parent.schema()));
        return withTrigger;
    }

    static String defaultName(TableName parent) {
        return parent.name() + "_default";
    }

    private static void requireLength(TableName parent, String name, MaintenancePolicy policy) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Sql.MAX_IDENTIFIER_BYTES) {
            String pattern = policy.range().map(r -> r.naming().pattern())
                    .or(() -> policy.hash().map(h -> h.naming().pattern())).orElse(name);
            throw new PartitioningException(ErrorCode.IDENTIFIER_INVALID, "Partition name \"" + name + "\" of table "
                    + parent + " is " + bytes + " bytes; PostgreSQL cuts names at " + Sql.MAX_IDENTIFIER_BYTES
                    + " bytes, so partitions could collide. Nothing was changed. Fix: choose a shorter naming pattern than \""
                    + pattern + "\" or a shorter table name.");
        }
    }
}
