package io.pgpartition.conversion.internal;

import io.pgpartition.catalog.internal.TableFacts;
import java.util.ArrayList;
import java.util.List;

/**
 * A table's facts as lines, one per object and property a conversion must carry (columns with their grants and
 * statistics targets, constraints with validity and deferrability, indexes, triggers and rules with their enabled state,
 * sequences with their options, grants, policies, row-level security, views with their options, statistics,
 * comments, replica identity, owner): two tables that a conversion should leave alike have equal signatures, and the
 * lines that differ say what changed. What a partitioned table cannot share with a plain one (its kind, storage
 * parameters, row estimate) is left out, and so are the triggers of a conversion under way.
 */
public final class Signature {

    private Signature() {
    }

    public static List<String> of(TableFacts facts) {
        List<String> lines = new ArrayList<>();
        lines.add("owner " + facts.owner());
        lines.add("comment " + facts.comment().orElse(""));
        lines.add("row level security " + facts.rowSecurity() + (facts.forceRowSecurity() ? " forced" : ""));
        lines.add("replica identity " + facts.replicaIdentity());
        lines.add("persistence " + facts.persistence());
        for (TableFacts.Column c : facts.columns()) {
            lines.add("column " + c.name() + " " + c.type() + (c.notNull() ? " not null" : "") + " default " + c.defaultExpression().orElse("")
                    + " identity " + c.identity() + " generated " + c.generated() + " comment " + c.comment().orElse("") + " statistics "
                    + c.statistics() + " grants " + c.grants());
        }
        for (TableFacts.Constraint c : facts.constraints()) {
            lines.add("constraint " + c.name() + " " + c.definition() + (c.validated() ? "" : " (not validated)")
                    + " comment " + c.comment().orElse(""));
        }
        for (TableFacts.Index i : facts.indexes()) {
            lines.add("index " + i.name() + " " + i.definition().replace(" ON ONLY ", " ON ") + " comment " + i.comment().orElse(""));
        }
        facts.withoutTriggers(List.of(Names.SYNC_TRIGGER, Names.TRUNCATE_TRIGGER)).triggers().forEach(t -> lines.add("trigger " + t.name() + " " + t.definition() + " enabled " + t.enabled()));
        facts.rules().forEach(r -> lines.add("rule " + r.name() + " " + r.definition() + " enabled " + r.enabled()));
        facts.sequences().forEach(s -> lines.add("sequence " + s.sequence() + " of " + s.column() + (s.identity() ? " identity " : " ")
                + s.options() + " grants " + s.grants()));
        facts.referencedBy().forEach(r -> lines.add("referenced by " + r.table() + " " + r.constraint() + " " + r.definition()
                + (r.validated() ? "" : " (not validated)")));
        facts.views().forEach(v -> lines.add((v.materialized() ? "materialized view " : "view ") + v.name() + " " + v.options() + " "
                + v.definition()));
        facts.grants().forEach(g -> lines.add("grant " + g));
        facts.policies().forEach(p -> lines.add("policy " + p));
        facts.publications().forEach(p -> lines.add("publication " + p));
        facts.statistics().forEach(s -> lines.add("statistics " + s.name() + " " + s.definition() + " target " + s.target() + " comment "
                + s.comment().orElse("")));
        return lines;
    }

    /** The lines of {@code after} that {@code before} lacks, marked {@code +}, then those it lost, marked {@code -}. */
    public static List<String> difference(List<String> before, List<String> after) {
        List<String> lines = new ArrayList<>();
        after.stream().filter(line -> !before.contains(line)).forEach(line -> lines.add("+ " + line));
        before.stream().filter(line -> !after.contains(line)).forEach(line -> lines.add("- " + line));
        return lines;
    }
}
