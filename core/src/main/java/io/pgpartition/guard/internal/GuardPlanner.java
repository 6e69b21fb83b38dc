package io.pgpartition.guard.internal;

import io.pgpartition.catalog.internal.GuardFacts;
import io.pgpartition.catalog.internal.GuardReader;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.guard.internal.GuardSql;
import io.pgpartition.guard.GuardState;
import io.pgpartition.model.TableName;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the guard's facts into what is missing or not as the guard installs it, with the statements that repair each
 * and those that remove the guard. Checks what each trigger is, not only that one of its name exists: that it fires,
 * its timing, level and events, the columns it watches, the function it calls and the key it is given.
 */
public final class GuardPlanner {

    /** The key trigger's timing, level and event: {@code BEFORE UPDATE FOR EACH ROW}. */
    static final int KEY_TYPE = GuardFacts.Trigger.ROW | GuardFacts.Trigger.BEFORE | GuardFacts.Trigger.UPDATE;
    /** The write trigger's: {@code BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE FOR EACH STATEMENT}. */
    static final int WRITE_TYPE = GuardFacts.Trigger.BEFORE | GuardFacts.Trigger.INSERT | GuardFacts.Trigger.UPDATE
            | GuardFacts.Trigger.DELETE | GuardFacts.Trigger.TRUNCATE;
    /** The prefix suggested for an application trigger that must fire before the key trigger. */
    static final String BEFORE_GUARD_PREFIX = "zz_before_guard_";

    private GuardPlanner() {
    }

    /**
     * The state of every tree.
     *
     * @param functions the guard's trigger functions by name with their current source
     * @param digest    the digest the catalog gives a source ({@code md5} of it)
     */
    public static GuardState plan(GuardFacts facts, Map<String, String> functions, java.util.function.UnaryOperator<String> digest) {
        List<GuardState.Root> roots = new ArrayList<>();
        List<GuardState.Refused> refused = new ArrayList<>();
        for (GuardFacts.Tree tree : facts.trees()) {
            io.pgpartition.catalog.Distribution citus = facts.citus().get(tree.root());
            if (citus != null) {
                refused.add(new GuardState.Refused(tree.root(), refusal(tree, citus)));
            } else {
                roots.add(root(facts, tree, functions, digest));
            }
        }
        List<String> detached = facts.orphans().stream().map(t -> GuardSql.dropTrigger(t.name(), t.table())).toList();
        return new GuardState(roots, detached, refused);
    }

    /**
     * Why a Citus table gets no trigger (Citus refuses triggers on distributed tables, and with
     * {@code citus.enable_unsafe_triggers} they fire on the workers' shards, not on the coordinator's tables that the
     * statements name), and what keeps its rows there instead.
     */
    static String refusal(GuardFacts.Tree tree, io.pgpartition.catalog.Distribution citus) {
        List<String> partitions = tree.members().stream().filter(m -> m.depth() > 0).map(m -> Sql.table(m.name())).toList();
        String keys = citus.column().map(column -> "Citus itself refuses a change of the distribution column " + column
                + ", and the partition key is kept by pgpartition's client guard")
                .orElse("the partition key is kept by pgpartition's client guard");
        return tree.root() + " is " + citus.describe() + ": Citus runs no trigger on the tables it holds, so the server "
                + "guard cannot be installed there; " + keys + ". Keep direct writes off its partitions with privileges (writes "
                + "through " + tree.root() + " check only its own): grant the application's role INSERT, UPDATE, DELETE on "
                + tree.root() + " and nothing on the partitions"
                + (partitions.isEmpty() ? "." : ", e.g. REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON TABLE "
                + String.join(", ", partitions) + " FROM PUBLIC, and from each role granted them.");
    }

    private static GuardState.Root root(GuardFacts facts, GuardFacts.Tree tree, Map<String, String> functions, java.util.function.UnaryOperator<String> digest) {
        TableName root = tree.root();
        String schema = root.schema();
        List<GuardState.Gap> gaps = new ArrayList<>();
        functions.forEach((name, source) -> {
            if (!digest.apply(source).equals(tree.functions().get(name))) {
                gaps.add(new GuardState.Gap(root, "function " + schema + "." + name + " is missing or outdated",
                        List.of(GuardSql.function(schema, name, source))));
            }
        });
        List<String> removal = new ArrayList<>();
        for (GuardFacts.Member member : tree.members()) {
            own(member, GuardSql.LEGACY_KEY_TRIGGER).ifPresent(legacy -> {
                gaps.add(new GuardState.Gap(member.name(), describe(member, root) + " has the key trigger of an earlier version, "
                        + GuardSql.LEGACY_KEY_TRIGGER + ", which fires before the application's BEFORE UPDATE triggers: it is replaced by "
                        + GuardSql.keyTrigger(member.depth()), List.of(GuardSql.dropTrigger(GuardSql.LEGACY_KEY_TRIGGER, member.name()))));
                removal.add(GuardSql.dropTrigger(GuardSql.LEGACY_KEY_TRIGGER, member.name()));
            });
            if (member.partitioned()) {
                keyTrigger(tree, member, gaps, removal);
            }
            if (member.depth() > 0) {
                writeTrigger(root, member, gaps, removal);
            }
            laterTriggers(member, facts.serverVersion(), gaps);
        }
        List<TableName> partitions = tree.members().stream().filter(m -> m.depth() > 0).map(GuardFacts.Member::name).toList();
        return new GuardState.Root(root, partitions, gaps, removal);
    }

    /**
     * The key trigger a partitioned table owns, and its clones on every partition below it. Its form follows the
     * application's {@code BEFORE UPDATE} row triggers on the table and below it (see {@link GuardSql#keyTrigger(
     * TableName, int, List, List, String)}): with none, {@code UPDATE OF} the key's columns; with one, no column list.
     */
    private static void keyTrigger(GuardFacts.Tree tree, GuardFacts.Member member, List<GuardState.Gap> gaps, List<String> removal) {
        TableName root = tree.root();
        String name = GuardSql.keyTrigger(member.depth());
        List<GuardFacts.Member> subtree = new ArrayList<>(List.of(member));
        subtree.addAll(below(tree, member));
        Optional<GuardFacts.Trigger> rewriter = subtree.stream().flatMap(m -> m.triggers().stream()).filter(GuardPlanner::mayRewriteRows)
                .findFirst();
        List<String> watched = rewriter.isPresent() ? List.of() : member.watched();
        String create = GuardSql.keyTrigger(member.name(), member.depth(), member.keyArguments(), watched, root.schema());
        String what = (member.depth() == 0 ? "changes of its partition key (" : "changes of its sub-partition key (") + key(member)
                + ") are not refused";
        Optional<GuardFacts.Trigger> found = own(member, name);
        if (found.isEmpty()) {
            gaps.add(new GuardState.Gap(member.name(), describe(member, root) + " has no " + name + " trigger: " + what, List.of(create)));
            return;
        }
        removal.add(GuardSql.dropTrigger(name, member.name()));
        GuardFacts.Trigger trigger = found.get();
        String function = root.schema() + "." + GuardSql.KEY_FUNCTION;
        if (trigger.type() != KEY_TYPE || trigger.when() != null || !trigger.function().equals(function)
                || !trigger.arguments().equals(member.keyArguments())
                || !(trigger.columns().isEmpty() || trigger.columns().equals(member.watched()))) {
            gaps.add(new GuardState.Gap(member.name(), "trigger " + name + " on " + member.name() + " is not the guard's: found "
                    + found(trigger) + ", expected BEFORE UPDATE" + (watched.isEmpty() ? "" : " OF " + String.join(", ", watched))
                    + " FOR EACH ROW calling " + function + "(" + arguments(member.keyArguments()) + "); " + what,
                    List.of(GuardSql.dropTrigger(name, member.name()), create)));
            return;
        }
        if (!trigger.columns().isEmpty() && rewriter.isPresent()) {
            GuardFacts.Trigger application = rewriter.get();
            gaps.add(new GuardState.Gap(member.name(), "trigger " + name + " on " + member.name() + " fires only for statements that "
                    + "assign the key (UPDATE OF " + String.join(", ", trigger.columns()) + "), and trigger " + application.name() + " on "
                    + application.table() + " (" + application.shape() + ") may change the key of a row whose statement does not: "
                    + what + " when it does", List.of(GuardSql.dropTrigger(name, member.name()), create)));
            return;
        }
        if (!trigger.fires()) {
            gaps.add(new GuardState.Gap(member.name(), "trigger " + name + " on " + member.name() + " " + notFiring(trigger) + ": " + what,
                    List.of(GuardSql.enableTrigger(name, member.name()))));
        }
        for (GuardFacts.Member partition : below(tree, member)) {
            partition.triggers().stream().filter(t -> t.cloned() && t.name().equals(name) && !t.fires()).findFirst().ifPresent(clone ->
                    gaps.add(new GuardState.Gap(partition.name(), "trigger " + name + " on partition " + partition.name() + " (cloned from "
                            + member.name() + ") " + notFiring(clone) + ": changes of the key of " + member.name() + " in its rows are "
                            + "not refused", List.of(GuardSql.enableTrigger(name, partition.name())))));
        }
    }

    /** An application's trigger that can change a row before the key trigger sees it: {@code BEFORE UPDATE FOR EACH ROW}, firing. */
    private static boolean mayRewriteRows(GuardFacts.Trigger trigger) {
        return !GuardReader.isGuards(trigger) && (trigger.type() & KEY_TYPE) == KEY_TYPE && trigger.fires();
    }

    private static void writeTrigger(TableName root, GuardFacts.Member member, List<GuardState.Gap> gaps, List<String> removal) {
        String name = GuardSql.WRITE_TRIGGER;
        String create = GuardSql.writeTrigger(member.name(), root.schema());
        Optional<GuardFacts.Trigger> found = own(member, name);
        String what = "direct writes are not refused";
        if (found.isEmpty()) {
            gaps.add(new GuardState.Gap(member.name(), "partition " + member.name() + " of " + root + " has no " + name + " trigger: " + what,
                    List.of(create)));
            return;
        }
        removal.add(GuardSql.dropTrigger(name, member.name()));
        GuardFacts.Trigger trigger = found.get();
        String function = root.schema() + "." + GuardSql.WRITE_FUNCTION;
        if (trigger.type() != WRITE_TYPE || !trigger.columns().isEmpty() || !trigger.function().equals(function)
                || !trigger.arguments().isEmpty()) {
            gaps.add(new GuardState.Gap(member.name(), "trigger " + name + " on partition " + member.name() + " is not the guard's: found "
                    + found(trigger) + ", expected BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE FOR EACH STATEMENT calling " + function
                    + "(); " + what, List.of(GuardSql.dropTrigger(name, member.name()), create)));
        } else if (!trigger.fires()) {
            gaps.add(new GuardState.Gap(member.name(), "trigger " + name + " on partition " + member.name() + " " + notFiring(trigger) + ": "
                    + what, List.of(GuardSql.enableTrigger(name, member.name()))));
        }
    }

    /**
     * The application's {@code BEFORE UPDATE} row triggers on the table that fire after the key trigger (PostgreSQL
     * fires the triggers of an event in the byte order of their names): a key they change is not seen. A clone is named
     * on its own only before PostgreSQL 15, where renaming its parent's trigger leaves it as it was; from 15 on,
     * renaming the parent's renames the clones, and a clone cannot be renamed by itself.
     */
    private static void laterTriggers(GuardFacts.Member member, int serverVersion, List<GuardState.Gap> gaps) {
        for (GuardFacts.Trigger trigger : member.triggers()) {
            if ((trigger.cloned() && serverVersion >= 150000) || !mayRewriteRows(trigger)
                    || compareBytes(trigger.name(), GuardSql.KEY_TRIGGER) <= 0) {
                continue;
            }
            String renamed = truncate(BEFORE_GUARD_PREFIX + trigger.name());
            gaps.add(new GuardState.Gap(member.name(), "trigger " + trigger.name() + " on " + member.name() + " (" + trigger.shape()
                    + ") fires after " + GuardSql.KEY_TRIGGER + ", so a partition key it changes is not refused. Fix: ALTER TRIGGER "
                    + Sql.identifier(trigger.name()) + " ON " + Sql.table(member.name()) + " RENAME TO " + Sql.identifier(renamed), List.of()));
        }
    }

    private static Optional<GuardFacts.Trigger> own(GuardFacts.Member member, String name) {
        return member.triggers().stream().filter(t -> !t.cloned() && t.name().equals(name)).findFirst();
    }

    /** Every member below {@code member} in the tree. */
    private static List<GuardFacts.Member> below(GuardFacts.Tree tree, GuardFacts.Member member) {
        Set<TableName> within = new LinkedHashSet<>(List.of(member.name()));
        List<GuardFacts.Member> below = new ArrayList<>();
        for (GuardFacts.Member candidate : tree.members()) {
            if (candidate.parent() != null && within.contains(candidate.parent())) {
                within.add(candidate.name());
                below.add(candidate);
            }
        }
        return below;
    }

    private static String describe(GuardFacts.Member member, TableName root) {
        return member.depth() == 0 ? member.name().toString() : "partition " + member.name() + " of " + root;
    }

    private static String key(GuardFacts.Member member) {
        List<String> parts = new ArrayList<>(member.keyColumns());
        if (member.expressions() != null) {
            parts.add(member.expressions());
        }
        return String.join(", ", parts);
    }

    private static String found(GuardFacts.Trigger trigger) {
        return trigger.shape() + " calling " + trigger.function() + "(" + arguments(trigger.arguments()) + ")";
    }

    private static String arguments(List<String> arguments) {
        return arguments.stream().map(Sql::literal).collect(Collectors.joining(", "));
    }

    private static String notFiring(GuardFacts.Trigger trigger) {
        return trigger.enabled() == 'R' ? "fires only in replica sessions" : "is disabled";
    }

    /** Compares two names as PostgreSQL orders trigger names: by their bytes, unsigned. */
    static int compareBytes(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** A name cut to PostgreSQL's 63 bytes, never inside a character. */
    private static String truncate(String name) {
        StringBuilder kept = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < name.length(); ) {
            int codePoint = name.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > Sql.MAX_IDENTIFIER_BYTES) {
                break;
            }
            kept.appendCodePoint(codePoint);
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return kept.toString();
    }
}
