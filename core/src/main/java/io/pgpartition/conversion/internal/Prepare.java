package io.pgpartition.conversion.internal;

import io.pgpartition.catalog.internal.TableFacts;
import io.pgpartition.conversion.ConversionAnalysis.Change;
import io.pgpartition.conversion.ConversionSpec;
import io.pgpartition.ddl.PartitionDdl;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.TableName;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The statements of the prepare step, in one transaction: the twin with everything it can have before the first row
 * arrives, its partitions, the change log and the trigger that fills it. Records on the way what changes, what is
 * carried over, and what blocks.
 */
final class Prepare {

    private Prepare() {
    }

    static List<String> statements(ConversionSpec spec, TableFacts facts, Names names, List<Blueprint.Partition> partitions,
                                   ChangeLog log, List<String> blockers, List<Change> changes, List<String> carried) {
        String key = spec.keyColumn();
        TableName twin = names.twin();
        TableName table = facts.name();
        List<String> ddl = new ArrayList<>();
        ddl.add(StateTable.create(names));
        ddl.add("CREATE TABLE " + Sql.table(twin) + " (LIKE " + Sql.table(table) + " INCLUDING DEFAULTS INCLUDING GENERATED "
                + "INCLUDING STORAGE INCLUDING COMMENTS INCLUDING COMPRESSION) "
                + PartitionDdl.partitionBy(spec.policy().strategy(), List.of(key)));
        for (TableFacts.Column column : facts.columns()) {
            if (column.statistics() >= 0) {
                ddl.add("ALTER TABLE " + Sql.table(twin) + " ALTER COLUMN " + Sql.identifier(column.name()) + " SET STATISTICS "
                        + column.statistics());
            }
        }
        for (TableFacts.Constraint constraint : facts.constraints()) {
            constraint(facts, twin, key, constraint, ddl, blockers, changes, carried);
        }
        for (TableFacts.Index index : facts.indexes()) {
            index(facts, twin, key, index, ddl, blockers, changes, carried);
        }
        for (Blueprint.Partition partition : partitions) {
            ddl.add(PartitionDdl.createPartitionOf(twin, partition.name(), partition.bound()));
            List<String> options = new ArrayList<>(facts.reloptions());
            options.add("autovacuum_enabled = false");
            ddl.add("ALTER TABLE " + Sql.table(partition.name()) + " SET (" + String.join(", ", options) + ")");
        }
        if (!facts.reloptions().isEmpty()) {
            changes.add(new Change("storage parameters (" + String.join(", ", facts.reloptions()) + ") are set on each partition "
                    + "the conversion creates; a partitioned table has no storage of its own, and partitions created later need "
                    + "them too", "ALTER TABLE <partition> SET (" + String.join(", ", facts.reloptions()) + ")"));
        }
        if (!facts.replicaIdentity().equals("d")) {
            String identity = facts.replicaIdentity().equals("f") ? "FULL" : "NOTHING";
            ddl.add("ALTER TABLE " + Sql.table(twin) + " REPLICA IDENTITY " + identity);
            partitions.forEach(p -> ddl.add("ALTER TABLE " + Sql.table(p.name()) + " REPLICA IDENTITY " + identity));
            carried.add("REPLICA IDENTITY " + identity);
        }
        for (TableFacts.Statistics statistics : facts.statistics()) {
            TableName building = statistics.name().sibling(Names.building(statistics.name().name()));
            Optional<String> rewritten = Definitions.rewriteStatistics(statistics.definition(), building, twin);
            if (rewritten.isEmpty()) {
                blockers.add("Statistics object " + statistics.name() + " (" + statistics.definition() + ") could not be read for "
                        + "re-creation. Fix: drop it before the conversion and create it again after.");
                continue;
            }
            ddl.add(rewritten.get());
            if (statistics.target() >= 0) {
                ddl.add("ALTER STATISTICS " + Sql.table(building) + " SET STATISTICS " + statistics.target());
            }
            statistics.comment().ifPresent(c -> ddl.add("COMMENT ON STATISTICS " + Sql.table(building) + " IS " + Sql.literal(c)));
            carried.add("statistics " + statistics.name());
        }
        for (TableFacts.Trigger trigger : facts.triggers()) {
            // tried on the twin and dropped again, so that a trigger PostgreSQL refuses on a partitioned table fails here
            ddl.add(Definitions.retarget(trigger.definition(), twin));
            ddl.add("DROP TRIGGER " + Sql.identifier(trigger.name()) + " ON " + Sql.table(twin));
            carried.add("trigger " + trigger.name() + " (moved to the partitioned table at the swap, with its enabled state)");
        }
        facts.rules().forEach(r -> carried.add("rule " + r.name() + " (moved to the partitioned table at the swap)"));
        facts.sequences().forEach(s -> carried.add((s.identity() ? "identity " : "sequence ") + s.sequence() + " of column "
                + s.column() + " with its options and its next value"));
        for (TableFacts.View view : facts.views()) {
            if (view.materialized()) {
                changes.add(new Change("materialized view " + view.name() + " keeps reading the original table (" + names.retired()
                        + " after the swap) until it is re-created, and must be before cleanup", "DROP MATERIALIZED VIEW "
                        + Sql.table(view.name()) + "; CREATE MATERIALIZED VIEW " + Sql.table(view.name()) + " AS "
                        + view.definition().strip()));
            } else {
                carried.add("view " + view.name() + (view.options().isEmpty() ? "" : " with (" + String.join(", ", view.options())
                        + ")") + " (re-pointed at the swap)");
            }
        }
        long columnGrants = facts.columns().stream().mapToLong(c -> c.grants().size()).sum();
        if (!facts.grants().isEmpty() || columnGrants > 0) {
            carried.add(facts.grants().size() + " table grant" + (facts.grants().size() == 1 ? "" : "s") + " and " + columnGrants
                    + " column grant" + (columnGrants == 1 ? "" : "s"));
        }
        if (facts.rowSecurity() || !facts.policies().isEmpty()) {
            carried.add("row-level security" + (facts.forceRowSecurity() ? " (FORCE)" : "") + (facts.policies().isEmpty() ? ""
                    : " with " + facts.policies().size() + " polic" + (facts.policies().size() == 1 ? "y" : "ies")));
        }
        facts.comment().ifPresent(c -> carried.add("table comment"));
        ddl.add(log.createTable());
        ddl.add(log.logFunction(null));
        ddl.add(log.truncateFunction());
        ddl.add("REVOKE ALL ON FUNCTION " + Sql.table(names.logFunction()) + "() FROM PUBLIC");
        if (!facts.owner().equals(facts.role().name())) {
            String owner = Sql.identifier(facts.owner());
            ddl.add("ALTER TABLE " + Sql.table(twin) + " OWNER TO " + owner);
            partitions.forEach(p -> ddl.add("ALTER TABLE " + Sql.table(p.name()) + " OWNER TO " + owner));
            ddl.add("ALTER TABLE " + Sql.table(names.log()) + " OWNER TO " + owner);
            ddl.add("ALTER FUNCTION " + Sql.table(names.logFunction()) + "() OWNER TO " + owner);
            ddl.add("ALTER FUNCTION " + Sql.table(names.truncateFunction()) + "() OWNER TO " + owner);
            for (TableFacts.Statistics statistics : facts.statistics()) {
                ddl.add("ALTER STATISTICS " + Sql.table(statistics.name().sibling(Names.building(statistics.name().name())))
                        + " OWNER TO " + owner);
            }
        }
        ddl.add(StateTable.insert(names, spec, 0));
        ddl.addAll(log.triggersOn(table, true));
        ddl.add(log.recordCopyBound());
        ddl.add(log.boundLogFunction());
        return ddl;
    }

    private static void constraint(TableFacts facts, TableName twin, String key, TableFacts.Constraint constraint, List<String> ddl,
                                   List<String> blockers, List<Change> changes, List<String> carried) {
        String kind = switch (constraint.type()) {
            case "p" -> "primary key ";
            case "u" -> "unique constraint ";
            case "x" -> "exclusion constraint ";
            case "f" -> "foreign key ";
            default -> "check constraint ";
        };
        switch (constraint.type()) {
            case "p", "u" -> {
                boolean gains = !constraint.columns().contains(key);
                String definition = gains ? Definitions.addKeyToConstraint(constraint.definition(), key) : constraint.definition();
                String building = Names.building(constraint.name());
                String sql = "ALTER TABLE " + Sql.table(twin) + " ADD CONSTRAINT " + Sql.identifier(building) + " " + definition;
                ddl.add(sql);
                constraint.comment().ifPresent(c -> ddl.add("COMMENT ON CONSTRAINT " + Sql.identifier(building) + " ON "
                        + Sql.table(twin) + " IS " + Sql.literal(c)));
                if (gains) {
                    List<String> columns = new ArrayList<>(constraint.columns());
                    columns.add(key);
                    changes.add(new Change(kind + constraint.name() + " (" + String.join(", ", constraint.columns()) + ") becomes ("
                            + String.join(", ", columns) + "): PostgreSQL enforces uniqueness per partition, so it must include "
                            + key, sql));
                } else {
                    carried.add(kind + constraint.name() + (constraint.deferrable() ? " (DEFERRABLE)" : ""));
                }
            }
            case "x" -> blockers.add("Exclusion constraint " + constraint.name() + " of " + facts.name() + " ("
                    + constraint.definition() + ") cannot be carried to a partitioned table" + (constraint.columns().contains(key)
                    ? " as it is" : " without " + key) + ". Fix: drop it, or re-create it with " + key + " compared by equality.");
            case "f" -> {
                if (constraint.selfReference()) {
                    blockers.add("Foreign key " + constraint.name() + " of " + facts.name() + " references the table itself ("
                            + constraint.definition() + "): the partitioned table would reference the original, which cleanup "
                            + "drops. Fix: drop it before the conversion and re-create it after, with " + key + " on both sides.");
                } else if (constraint.validated()) {
                    ddl.add("ALTER TABLE " + Sql.table(twin) + " ADD CONSTRAINT " + Sql.identifier(constraint.name()) + " "
                            + constraint.definition());
                    carried.add(kind + constraint.name() + " " + constraint.definition());
                } else {
                    carried.add(kind + constraint.name() + " " + constraint.definition() + " (added NOT VALID at the swap)");
                }
            }
            default -> {
                if (constraint.noInherit()) {
                    return;
                }
                if (constraint.validated()) {
                    ddl.add("ALTER TABLE " + Sql.table(twin) + " ADD CONSTRAINT " + Sql.identifier(constraint.name()) + " "
                            + constraint.definition());
                    carried.add(kind + constraint.name());
                } else {
                    carried.add(kind + constraint.name() + " (NOT VALID: added as it is at the swap, after the copy of rows it "
                            + "never checked)");
                }
            }
        }
    }

    private static void index(TableFacts facts, TableName twin, String key, TableFacts.Index index, List<String> ddl,
                              List<String> blockers, List<Change> changes, List<String> carried) {
        String building = Names.building(index.name());
        Optional<String> rewritten = Definitions.rewriteIndex(index.definition(), building, twin);
        if (rewritten.isEmpty()) {
            blockers.add("Index " + index.name() + " (" + index.definition() + ") could not be read for re-creation. Fix: drop it "
                    + "before the conversion and re-create it after.");
            return;
        }
        if (index.unique() && !index.columns().contains(key)) {
            if (index.expression()) {
                blockers.add("Unique index " + index.name() + " (" + index.definition() + ") is on expressions without " + key
                        + ", which a partitioned table cannot enforce. Fix: drop it, or re-create it with " + key + ".");
                return;
            }
            String sql = Definitions.addKeyToIndex(rewritten.get(), key);
            ddl.add(sql);
            changes.add(new Change("unique index " + index.name() + " (" + String.join(", ", index.columns()) + ") gains " + key
                    + ": PostgreSQL enforces uniqueness per partition", sql));
        } else {
            ddl.add(rewritten.get());
            carried.add("index " + index.name());
        }
        index.comment().ifPresent(c -> ddl.add("COMMENT ON INDEX " + Sql.table(twin.sibling(building)) + " IS " + Sql.literal(c)));
    }
}
