package io.pgpartition.conversion.internal;

import io.pgpartition.catalog.internal.TableFacts;
import io.pgpartition.conversion.ConversionSpec;
import io.pgpartition.conversion.ConversionStatus;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.TableName;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The statements that swap the partitioned table in (and back out at a rollback), and those of the cleanup: pure
 * functions of the facts, each list run in one transaction under the lock timeout.
 */
public final class Swap {

    private Swap() {
    }

    /**
     * The swap: the last logged changes replayed under the lock, the names exchanged, and everything the original has
     * that the twin could not have while it was built (sequences, grants, row-level security, the enabled state of its
     * triggers, rules, NOT VALID constraints, views) moved to the partitioned table; then the log is turned around, so
     * that every write until cleanup is logged for a rollback.
     */
    static List<String> statements(ConversionSpec spec, TableFacts facts, Names names, List<Blueprint.Partition> partitions,
                                   ChangeLog log) {
        TableName table = facts.name();
        TableName retired = names.retired();
        List<String> statements = new ArrayList<>();
        statements.add("LOCK TABLE " + Sql.table(table) + ", " + Sql.table(names.twin()) + " IN ACCESS EXCLUSIVE MODE");
        statements.add(log.replay(null));
        statements.add("DROP TRIGGER " + Sql.identifier(Names.SYNC_TRIGGER) + " ON " + Sql.table(table));
        statements.add("DROP TRIGGER " + Sql.identifier(Names.TRUNCATE_TRIGGER) + " ON " + Sql.table(table));
        statements.add("DROP TABLE " + Sql.table(names.log()));
        if (spec.foreignKeys() == ConversionSpec.ForeignKeys.DROP) {
            for (TableFacts.Reference reference : facts.referencedBy()) {
                if (!ConversionPlanner.keyed(spec, reference)) {
                    statements.add("ALTER TABLE " + Sql.table(reference.table()) + " DROP CONSTRAINT " + Sql.identifier(reference.constraint()));
                }
            }
        }
        statements.add("ALTER TABLE " + Sql.table(table) + " RENAME TO " + Sql.identifier(retired.name()));
        statements.add("ALTER TABLE " + Sql.table(names.twin()) + " RENAME TO " + Sql.identifier(table.name()));
        for (String index : ConversionPlanner.indexNames(facts)) {
            statements.add("ALTER INDEX " + Sql.table(table.sibling(index)) + " RENAME TO " + Sql.identifier(Names.retiring(index)));
            statements.add("ALTER INDEX " + Sql.table(table.sibling(Names.building(index))) + " RENAME TO " + Sql.identifier(index));
        }
        for (TableFacts.Statistics statistics : facts.statistics()) {
            TableName name = statistics.name();
            statements.add("ALTER STATISTICS " + Sql.table(name) + " RENAME TO " + Sql.identifier(Names.retiring(name.name())));
            statements.add("ALTER STATISTICS " + Sql.table(name.sibling(Names.building(name.name()))) + " RENAME TO "
                    + Sql.identifier(name.name()));
        }
        facts.referencedBy().stream().filter(r -> ConversionPlanner.keyed(spec, r)).forEach(r -> statements.addAll(repoint(r, table)));
        for (TableFacts.OwnedSequence sequence : facts.sequences()) {
            statements.add(moveSequence(retired, table, facts.column(sequence.column()).orElseThrow(), sequence));
        }
        statements.addAll(Definitions.accessOf(facts, table, true));
        for (TableFacts.Constraint constraint : facts.constraints()) {
            if (!constraint.validated() && !constraint.noInherit() && (constraint.type().equals("c") || constraint.type().equals("f"))) {
                statements.add("ALTER TABLE " + Sql.table(table) + " ADD CONSTRAINT " + Sql.identifier(constraint.name()) + " "
                        + constraint.definition());
            }
        }
        for (TableFacts.Trigger trigger : facts.triggers()) {
            statements.add("DROP TRIGGER " + Sql.identifier(trigger.name()) + " ON " + Sql.table(retired));
            statements.add(Definitions.retarget(trigger.definition(), table));
            if (!trigger.enabled().equals("O")) {
                statements.add(enable(table, "TRIGGER", trigger.name(), trigger.enabled()));
            }
        }
        for (TableFacts.Rule rule : facts.rules()) {
            statements.add("DROP RULE " + Sql.identifier(rule.name()) + " ON " + Sql.table(retired));
            statements.add(Definitions.retargetRule(rule.definition(), table));
            if (!rule.enabled().equals("O")) {
                statements.add(enable(table, "RULE", rule.name(), rule.enabled()));
            }
        }
        statements.addAll(replaceViews(facts.views()));
        ChangeLog back = log.reversed();
        statements.add(back.createTable());
        if (!facts.owner().equals(facts.role().name())) {
            statements.add("ALTER TABLE " + Sql.table(names.log()) + " OWNER TO " + Sql.identifier(facts.owner()));
        }
        statements.add(back.logFunction(null));
        statements.addAll(back.triggersOn(table, true));
        partitions.forEach(p -> statements.addAll(back.triggersOn(p.name(), false)));
        statements.add(StateTable.setPhase(names, ConversionStatus.Phase.SWAPPED));
        return statements;
    }

    /**
     * The rollback of a swapped conversion, under the lock: the last logged writes replayed into the original, the
     * names exchanged back, and what moved at the swap moved back ({@code current}: the partitioned table now, {@code
     * original}: the original under its retired name; both as read before these statements run).
     */
    public static List<String> rollback(Names names, ChangeLog back, TableFacts current, TableFacts original, List<TableName> partitions) {
        TableName table = names.table();
        TableName retired = names.retired();
        TableFacts partitioned = current.withoutTriggers(List.of(Names.SYNC_TRIGGER, Names.TRUNCATE_TRIGGER));
        List<String> statements = new ArrayList<>();
        statements.add("LOCK TABLE " + Sql.table(table) + ", " + Sql.table(retired) + " IN ACCESS EXCLUSIVE MODE");
        statements.add(back.replay(null));
        statements.add("DROP TRIGGER IF EXISTS " + Sql.identifier(Names.SYNC_TRIGGER) + " ON " + Sql.table(table));
        statements.add("DROP TRIGGER IF EXISTS " + Sql.identifier(Names.TRUNCATE_TRIGGER) + " ON " + Sql.table(table));
        partitions.forEach(p -> statements.add("DROP TRIGGER IF EXISTS " + Sql.identifier(Names.TRUNCATE_TRIGGER) + " ON " + Sql.table(p)));
        statements.add("DROP TABLE IF EXISTS " + Sql.table(names.log()));
        statements.add("ALTER TABLE " + Sql.table(table) + " RENAME TO " + Sql.identifier(names.twin().name()));
        statements.add("ALTER TABLE " + Sql.table(retired) + " RENAME TO " + Sql.identifier(table.name()));
        partitioned.referencedBy().forEach(r -> statements.addAll(repoint(r, table)));
        Set<String> originalIndexes = ConversionPlanner.indexNames(original).stream().collect(Collectors.toSet());
        for (String index : ConversionPlanner.indexNames(partitioned)) {
            if (originalIndexes.contains(Names.retiring(index))) {
                statements.add("ALTER INDEX " + Sql.table(table.sibling(index)) + " RENAME TO " + Sql.identifier(Names.building(index)));
                statements.add("ALTER INDEX " + Sql.table(table.sibling(Names.retiring(index))) + " RENAME TO " + Sql.identifier(index));
            }
        }
        Set<String> originalStatistics = original.statistics().stream().map(s -> s.name().name()).collect(Collectors.toSet());
        for (TableFacts.Statistics statistics : partitioned.statistics()) {
            TableName name = statistics.name();
            if (originalStatistics.contains(Names.retiring(name.name()))) {
                statements.add("ALTER STATISTICS " + Sql.table(name) + " RENAME TO " + Sql.identifier(Names.building(name.name())));
                statements.add("ALTER STATISTICS " + Sql.table(name.sibling(Names.retiring(name.name()))) + " RENAME TO "
                        + Sql.identifier(name.name()));
            }
        }
        for (TableFacts.OwnedSequence sequence : partitioned.sequences()) {
            statements.add(moveSequence(names.twin(), table, partitioned.column(sequence.column()).orElseThrow(), sequence));
        }
        for (TableFacts.Trigger trigger : partitioned.triggers()) {
            statements.add(Definitions.retarget(trigger.definition(), table));
            if (!trigger.enabled().equals("O")) {
                statements.add(enable(table, "TRIGGER", trigger.name(), trigger.enabled()));
            }
        }
        for (TableFacts.Rule rule : partitioned.rules()) {
            statements.add("DROP RULE " + Sql.identifier(rule.name()) + " ON " + Sql.table(names.twin()));
            statements.add(Definitions.retargetRule(rule.definition(), table));
            if (!rule.enabled().equals("O")) {
                statements.add(enable(table, "RULE", rule.name(), rule.enabled()));
            }
        }
        statements.addAll(replaceViews(partitioned.views()));
        statements.addAll(beforeSwap(names));
        return statements;
    }

    /** The rollback of a conversion that has not swapped: its objects dropped, the table as it was. */
    public static List<String> beforeSwap(Names names) {
        return dropAll(names, List.of(), "DROP TABLE IF EXISTS " + Sql.table(names.twin()));
    }

    /** The end of a swapped conversion: the original, the log, the triggers and functions and the state dropped. */
    public static List<String> cleanup(Names names, List<TableName> partitions) {
        return dropAll(names, partitions, "DROP TABLE " + Sql.table(names.retired()));
    }

    /** The conversion's triggers (on the table and {@code partitions}), log, functions and state, and the table {@code drop} drops. */
    private static List<String> dropAll(Names names, List<TableName> partitions, String drop) {
        List<String> statements = new ArrayList<>();
        statements.add("DROP TRIGGER IF EXISTS " + Sql.identifier(Names.SYNC_TRIGGER) + " ON " + Sql.table(names.table()));
        statements.add("DROP TRIGGER IF EXISTS " + Sql.identifier(Names.TRUNCATE_TRIGGER) + " ON " + Sql.table(names.table()));
        partitions.forEach(p -> statements.add("DROP TRIGGER IF EXISTS " + Sql.identifier(Names.TRUNCATE_TRIGGER) + " ON " + Sql.table(p)));
        statements.add(drop);
        statements.add("DROP TABLE IF EXISTS " + Sql.table(names.log()));
        statements.add("DROP FUNCTION IF EXISTS " + Sql.table(names.logFunction()) + "()");
        statements.add("DROP FUNCTION IF EXISTS " + Sql.table(names.truncateFunction()) + "()");
        statements.add(StateTable.delete(names));
        return statements;
    }

    /** Statements that make a foreign key reference {@code table} (by name, after the renames), NOT VALID. */
    private static List<String> repoint(TableFacts.Reference reference, TableName table) {
        return List.of("ALTER TABLE " + Sql.table(reference.table()) + " DROP CONSTRAINT " + Sql.identifier(reference.constraint()),
                "ALTER TABLE " + Sql.table(reference.table()) + " ADD CONSTRAINT " + Sql.identifier(reference.constraint()) + " "
                        + Definitions.repointed(reference.definition(), table));
    }

    /** {@code ALTER TABLE t {ENABLE | DISABLE | ENABLE REPLICA | ENABLE ALWAYS} {TRIGGER | RULE} name}. */
    private static String enable(TableName table, String what, String name, String state) {
        String action = switch (state) {
            case "D" -> "DISABLE ";
            case "R" -> "ENABLE REPLICA ";
            case "A" -> "ENABLE ALWAYS ";
            default -> "ENABLE ";
        };
        return "ALTER TABLE " + Sql.table(table) + " " + action + what + " " + Sql.identifier(name);
    }

    private static List<String> replaceViews(List<TableFacts.View> views) {
        List<String> statements = new ArrayList<>();
        for (TableFacts.View view : views) {
            if (!view.materialized()) {
                statements.add("CREATE OR REPLACE VIEW " + Sql.table(view.name()) + (view.options().isEmpty() ? ""
                        : " WITH (" + String.join(", ", view.options()) + ")") + " AS " + Definitions.stripSemicolon(view.definition()));
            }
        }
        return statements;
    }

    /**
     * Moves a column's sequence from one table to another. A serial's sequence is owned by the other column; an
     * identity is dropped where it was (which drops its sequence) and added where it goes under the same sequence name
     * with the same options, its state (last value, called or not) and grants restored.
     */
    private static String moveSequence(TableName from, TableName to, TableFacts.Column column, TableFacts.OwnedSequence sequence) {
        if (!sequence.identity()) {
            return "ALTER SEQUENCE " + Sql.table(sequence.sequence()) + " OWNED BY " + Sql.table(to) + "." + Sql.identifier(column.name());
        }
        String drop = "ALTER TABLE " + Sql.table(from) + " ALTER COLUMN " + Sql.identifier(column.name()) + " DROP IDENTITY";
        String add = "ALTER TABLE " + Sql.table(to) + " ALTER COLUMN " + Sql.identifier(column.name()) + " ADD GENERATED "
                + (column.identity().equals("a") ? "ALWAYS" : "BY DEFAULT") + " AS IDENTITY (SEQUENCE NAME " + Sql.table(sequence.sequence())
                + " " + sequence.options().replaceFirst("^AS [a-z ]+? INCREMENT", "INCREMENT") + ")";
        StringBuilder block = new StringBuilder("DO $pgp_identity$\nDECLARE pgp_last bigint; pgp_called boolean;\nBEGIN\n"
                + "  SELECT last_value, is_called INTO pgp_last, pgp_called FROM " + Sql.table(sequence.sequence()) + ";\n"
                + "  EXECUTE " + Sql.literal(drop) + ";\n"
                + "  EXECUTE " + Sql.literal(add) + ";\n"
                + "  PERFORM pg_catalog.setval(" + Sql.literal(Sql.table(sequence.sequence())) + ", pgp_last, pgp_called);\n");
        for (String grant : sequence.grants()) {
            block.append("  EXECUTE ").append(Sql.literal(String.format(grant, Sql.table(sequence.sequence())))).append(";\n");
        }
        return block.append("END\n$pgp_identity$").toString();
    }
}
