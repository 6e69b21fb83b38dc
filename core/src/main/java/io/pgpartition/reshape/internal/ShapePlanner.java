package io.pgpartition.reshape.internal;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.internal.TableFacts;
import io.pgpartition.conversion.internal.Definitions;
import io.pgpartition.conversion.internal.Names;
import io.pgpartition.ddl.PartitionDdl;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.guard.internal.GuardSql;
import io.pgpartition.internal.ShellWords;
import io.pgpartition.model.ColumnType;
import io.pgpartition.model.KeyPart;
import io.pgpartition.model.ListBound;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionBound;
import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.RangeValue;
import io.pgpartition.model.TableName;
import io.pgpartition.model.ValueKind;
import io.pgpartition.policy.NamingPattern;
import io.pgpartition.policy.NumericInterval;
import io.pgpartition.policy.PartitionInterval;
import io.pgpartition.policy.TimeInterval;
import io.pgpartition.reshape.ReshapeSpec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Plans a reshape from facts read before: which partitions are replaced by which, with their bounds and the conditions
 * that pick their rows, what the new partitions carry of the replaced ones, and the statements of the prepare step.
 * Refuses, with the reason and the way out, whatever cannot be reshaped exactly. Sends no SQL.
 */
public final class ShapePlanner {

    /** The most partitions one reshape creates. */
    public static final int MAX_PIECES = 1000;
    /** The CHECK a default partition that is not reshaped carries during the reshape, so that the attach skips it. */
    public static final String EXCLUDED_CHECK = "pgpartition_reshape_excluded";

    private ShapePlanner() {
    }

    /**
     * What the planner reads.
     *
     * @param layout     the table's partitions
     * @param parent     the table's catalog facts
     * @param partitions the catalog facts of the partitions reshaped
     * @param conversion what shows a conversion of the table not cleaned up, or null
     */
    public record Facts(PartitionedTable layout, TableFacts parent, Map<TableName, TableFacts> partitions, String conversion) {
    }

    /** A candidate partition of a drain, before its rows are counted. */
    public record Candidate(String name, PartitionBound bound, String check) {
    }

    /** A planned reshape and the statements that prepare it. */
    public record Planned(Shape shape, List<String> prepare, List<String> carriedOver) {
    }

    /** The partitions a split creates, in key order. */
    public static List<Candidate> splitPieces(ReshapeSpec spec, Facts facts) {
        PartitionedTable layout = facts.layout();
        Partition partition = replacedPartitions(spec, facts).get(0);
        if (!(partition.bound() instanceof RangeBound range)) {
            throw refused(spec, partition.name() + " is " + (partition.isDefault() ? "the default partition" : "a "
                    + layout.strategy().name() + " partition") + "; a split cuts a RANGE partition by an interval. Fix: "
                    + (partition.isDefault() ? "pgpartition repartition drain " + ShellWords.tableWord(layout.name()) + " moves its rows into new "
                    + "partitions." : "create the partitions you need and move the values with a merge."));
        }
        List<Candidate> pieces = pieces(spec, layout, range, spec.interval(), partition.name());
        if (pieces.size() < 2) {
            throw refused(spec, partition.name() + " " + PartitionDdl.forValues(range) + " is already one partition of "
                    + spec.interval() + ". Nothing to split.");
        }
        return pieces;
    }

    /** The partition a merge creates. */
    public static Candidate mergedPiece(ReshapeSpec spec, Facts facts) {
        PartitionedTable layout = facts.layout();
        List<Partition> merged = replacedPartitions(spec, facts);
        if (merged.size() < 2) {
            throw refused(spec, "a merge takes at least two partitions; got " + merged.size() + ".");
        }
        PartitionBound bound;
        if (layout.strategy() == PartitionStrategy.RANGE) {
            List<Partition> ordered = new ArrayList<>(merged);
            ordered.sort((a, b) -> layout.compareTuples(((RangeBound) a.bound()).from(), ((RangeBound) b.bound()).from()));
            for (int i = 1; i < ordered.size(); i++) {
                RangeBound before = (RangeBound) ordered.get(i - 1).bound();
                RangeBound after = (RangeBound) ordered.get(i).bound();
                if (layout.compareTuples(before.to(), after.from()) != 0) {
                    throw refused(spec, ordered.get(i - 1).name() + " " + PartitionDdl.forValues(before) + " and "
                            + ordered.get(i).name() + " " + PartitionDdl.forValues(after) + " are not adjacent"
                            + between(layout, before, after) + ": merged partitions must cover one range without a gap. Fix: "
                            + "name every partition in between too.");
                }
            }
            bound = new RangeBound(((RangeBound) ordered.get(0).bound()).from(), ((RangeBound) ordered.get(ordered.size() - 1).bound()).to());
        } else if (layout.strategy() == PartitionStrategy.LIST) {
            List<Object> values = new ArrayList<>();
            merged.forEach(p -> values.addAll(((ListBound) p.bound()).values()));
            bound = new ListBound(values);
        } else {
            throw refused(spec, "it is HASH partitioned: hash partitions are merged only by changing the modulus of the "
                    + "whole table. Fix: convert it again with another --hash-modulus.");
        }
        String name = spec.name().orElseGet(() -> mergedName(layout, bound, merged));
        return new Candidate(name, bound, check(spec, layout, bound));
    }

    /**
     * The periods of {@code interval} over the keys of the default partition ({@code least} to {@code greatest}), none of
     * which may overlap an existing partition.
     */
    public static List<Candidate> drainCandidates(ReshapeSpec spec, Facts facts, Object least, Object greatest) {
        PartitionedTable layout = facts.layout();
        Partition defaultPartition = layout.defaultPartition().orElseThrow(() -> refused(spec, "it has no default partition. "
                + "Nothing to drain."));
        if (layout.strategy() != PartitionStrategy.RANGE) {
            throw refused(spec, "it is " + layout.strategy() + " partitioned; a drain creates RANGE partitions of an interval. Fix: "
                    + "pgpartition maintain " + ShellWords.tableWord(layout.name()) + " --list ... creates the list partitions and moves their "
                    + "rows out of " + defaultPartition.name() + ".");
        }
        singleColumnKey(spec, layout);
        if (least == null) {
            return List.of();
        }
        ColumnType type = layout.key().parts().get(0).type();
        Object start = periodStart(spec, type, least);
        List<Candidate> candidates = new ArrayList<>();
        while (true) {
            RangeBound bound = periodBound(spec, type, start);
            if (layout.compareTuples(bound.from(), List.of(RangeValue.of(type.coerce(greatest)))) > 0) {
                break;
            }
            if (candidates.size() >= 10 * MAX_PIECES) {
                throw refused(spec, "the keys of " + defaultPartition.name() + " run from " + least + " to " + greatest + ", more than "
                        + 10 * MAX_PIECES + " periods of " + spec.interval() + ". Fix: a wider --interval.");
            }
            for (Partition existing : layout.partitions()) {
                if (existing.bound() instanceof RangeBound other && overlaps(layout, bound, other)) {
                    throw refused(spec, "the period " + PartitionDdl.forValues(bound) + " of " + spec.interval() + " overlaps "
                            + existing.name() + " " + PartitionDdl.forValues(other) + ", so rows of " + defaultPartition.name()
                            + " in it cannot get a partition of that interval. Fix: drain with the interval of the existing "
                            + "partitions (--interval), or split or merge " + existing.name() + " to align it first.");
                }
            }
            candidates.add(new Candidate(name(spec, layout, type, start), bound, check(spec, layout, bound)));
            start = next(spec, type, start);
        }
        return candidates;
    }

    /**
     * The interval the table's range partitions are cut by, as the most of them show it: {@code 1 day}, {@code 1 week},
     * {@code 1 month}, {@code 3 months} or {@code 1 year} for a time key (periods begun in {@code zone}); empty when none
     * fits most of them.
     */
    public static Optional<String> widthOf(PartitionedTable layout, ZoneId zone) {
        if (layout.strategy() != PartitionStrategy.RANGE || layout.key().size() != 1 || !layout.key().parts().get(0).type().isTemporal()) {
            return Optional.empty();
        }
        ColumnType type = layout.key().parts().get(0).type();
        List<RangeBound> bounds = layout.partitions().stream().filter(p -> p.bound() instanceof RangeBound r && r.from().get(0).isValue()
                && r.to().get(0).isValue()).map(p -> (RangeBound) p.bound()).toList();
        String best = null;
        long most = 0;
        for (String text : List.of("1 day", "1 week", "1 month", "3 months", "1 year")) {
            TimeInterval interval = (TimeInterval) PartitionInterval.parse(text, "repartition", "--interval");
            long fits = bounds.stream().filter(bound -> {
                LocalDate start = date(zone, bound.from().get(0).value());
                if (!interval.periodStart(start).equals(start)) {
                    return false;
                }
                RangeBound period = interval.bound(start, type.kind(), zone);
                return layout.compareTuples(List.of(RangeValue.of(type.coerce(period.from().get(0).value()))), bound.from()) == 0
                        && layout.compareTuples(List.of(RangeValue.of(type.coerce(period.to().get(0).value()))), bound.to()) == 0;
            }).count();
            if (fits > most) {
                most = fits;
                best = text;
            }
        }
        return most * 2 > bounds.size() ? Optional.of(best) : Optional.empty();
    }

    /**
     * Retention-style archiving: the groups of range partitions that together tile one period of {@code into} ending on
     * or before {@code cutoff}, two or more per group, in key order — each a merge to run. Periods whose partitions do not
     * tile them exactly (a gap, a partition across the period's edge) are left alone.
     */
    public static List<List<TableName>> mergeGroups(PartitionedTable layout, TimeInterval into, LocalDate cutoff, ZoneId zone) {
        List<List<TableName>> groups = new ArrayList<>();
        if (layout.strategy() != PartitionStrategy.RANGE || layout.key().size() != 1 || !layout.key().parts().get(0).type().isTemporal()) {
            return groups;
        }
        ColumnType type = layout.key().parts().get(0).type();
        List<Partition> ordered = layout.orderedPartitions().stream().filter(p -> !p.isDefault() && !p.subpartitioned()
                && ((RangeBound) p.bound()).from().get(0).isValue() && ((RangeBound) p.bound()).to().get(0).isValue()).toList();
        int i = 0;
        while (i < ordered.size()) {
            LocalDate start = into.periodStart(date(zone, ((RangeBound) ordered.get(i).bound()).from().get(0).value()));
            RangeBound period = into.bound(start, type.kind(), zone);
            List<RangeValue> periodFrom = List.of(RangeValue.of(type.coerce(period.from().get(0).value())));
            List<RangeValue> periodTo = List.of(RangeValue.of(type.coerce(period.to().get(0).value())));
            List<TableName> group = new ArrayList<>();
            List<RangeValue> cursor = periodFrom;
            int j = i;
            while (j < ordered.size()) {
                RangeBound bound = (RangeBound) ordered.get(j).bound();
                if (layout.compareTuples(bound.from(), cursor) != 0 || layout.compareTuples(bound.to(), periodTo) > 0) {
                    break;
                }
                group.add(ordered.get(j).name());
                cursor = bound.to();
                j++;
                if (layout.compareTuples(cursor, periodTo) == 0) {
                    break;
                }
            }
            boolean tiles = !group.isEmpty() && layout.compareTuples(cursor, periodTo) == 0;
            if (tiles && group.size() > 1 && !into.plus(start, 1).isAfter(cutoff)) {
                groups.add(group);
            }
            i = Math.max(i + 1, tiles ? j : i + 1);
        }
        return groups;
    }

    /** Plans a split or a merge: {@code pieces} replace the partitions the spec names. */
    public static Planned plan(ReshapeSpec spec, Facts facts, List<Candidate> pieces, Set<String> taken) {
        List<Partition> replaced = replacedPartitions(spec, facts);
        String description = switch (spec.operation()) {
            case SPLIT -> "split " + replaced.get(0).name() + " into " + pieces.size() + " partitions of " + spec.interval();
            case MERGE -> "merge " + String.join(", ", replaced.stream().map(p -> p.name().toString()).toList()) + " into "
                    + facts.layout().name().sibling(pieces.get(0).name());
            case DRAIN -> throw new IllegalArgumentException("a drain is planned by planDrain");
        };
        Partition otherDefault = facts.layout().defaultPartition().orElse(null);
        PartitionBound union = spec.operation() == ReshapeSpec.Operation.MERGE ? pieces.get(0).bound() : replaced.get(0).bound();
        String excluded = otherDefault == null ? null : "NOT (" + check(spec, facts.layout(), union) + ")";
        return planned(spec, facts, description, replaced, pieces, null, otherDefault == null ? null : otherDefault.name(), excluded, taken);
    }

    /** Plans a drain: the default partition replaced by {@code pieces} (those with rows) and a new, empty default partition. */
    public static Planned planDrain(ReshapeSpec spec, Facts facts, List<Candidate> pieces, long rows, Set<String> taken) {
        Partition defaultPartition = facts.layout().defaultPartition().orElseThrow();
        if (pieces.isEmpty()) {
            throw refused(spec, defaultPartition.name() + " holds no row that a partition of " + spec.interval() + " would take"
                    + (rows == 0 ? " (it is empty)" : " (its " + rows + " rows have keys no range takes)") + ". Nothing to drain.");
        }
        if (pieces.size() > MAX_PIECES) {
            throw refused(spec, "its rows fall into " + pieces.size() + " periods of " + spec.interval() + ", more than " + MAX_PIECES
                    + " partitions in one reshape. Fix: a wider --interval.");
        }
        String rest = "(" + String.join(" OR ", pieces.stream().map(p -> "(" + p.check() + ")").toList()) + ") IS NOT TRUE";
        String description = "drain " + defaultPartition.name() + " (" + rows + " rows) into " + pieces.size() + " partition"
                + (pieces.size() == 1 ? "" : "s") + " of " + spec.interval();
        return planned(spec, facts, description, List.of(defaultPartition), pieces, rest, null, null, taken);
    }

    private static Planned planned(ReshapeSpec spec, Facts facts, String description, List<Partition> replaced, List<Candidate> pieces,
                                   String restOfDefault, TableName otherDefault, String excluded, Set<String> taken) {
        TableFacts parent = facts.parent();
        TableName table = facts.layout().name();
        if (facts.conversion() != null) {
            throw refused(spec, "its conversion is not cleaned up (" + facts.conversion() + "). Fix: pgpartition convert cleanup "
                    + ShellWords.tableWord(table) + " --confirm (or rollback) first.");
        }
        List<TableFacts> touched = new ArrayList<>();
        touched.add(parent);
        replaced.forEach(p -> touched.add(facts.partitions().get(p.name())));
        for (TableFacts each : touched) {
            TableFacts.Role role = each.role();
            if (!role.owns() && !role.superuser()) {
                throw refused(spec, "role " + role.name() + " does not own " + each.name() + " (its owner is " + each.owner()
                        + "): detaching and attaching partitions takes the owner. Fix: run it as " + each.owner() + ", a member of "
                        + "it, or a superuser.");
            }
            if (each.forceRowSecurity() && !role.bypassRls()) {
                throw refused(spec, each.name() + " has FORCE ROW LEVEL SECURITY, so its policies apply to role " + role.name()
                        + " too: the copy and the verification would see only the rows they show. Fix: run it as a role that "
                        + "bypasses row-level security (ALTER ROLE " + Sql.identifier(role.name()) + " BYPASSRLS, as a superuser) or "
                        + "as a superuser.");
            }
        }
        List<String> identity = identity(spec, parent, facts.layout().key().parts().get(0).column());
        List<String> types = identity.stream().map(c -> parent.column(c).orElseThrow().type()).toList();
        List<String> columns = parent.columns().stream().filter(c -> !c.isGenerated()).map(TableFacts.Column::name).toList();
        Set<String> replacedNames = new HashSet<>();
        replaced.forEach(p -> replacedNames.add(p.name().name()));
        List<String> names = new ArrayList<>(pieces.stream().map(Candidate::name).toList());
        if (restOfDefault != null) {
            names.add(replaced.get(0).name().name());
        }
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (name.getBytes(StandardCharsets.UTF_8).length > Sql.MAX_IDENTIFIER_BYTES) {
                throw refused(spec, "the partition name " + name + " is longer than PostgreSQL's " + Sql.MAX_IDENTIFIER_BYTES
                        + " bytes. Fix: " + (spec.operation() == ReshapeSpec.Operation.MERGE ? "--name" : "--naming") + " with a shorter name.");
            }
            if (!seen.add(name)) {
                throw refused(spec, "the naming " + spec.naming().pattern() + " gives two new partitions the name " + name
                        + ". Fix: --naming with the tokens that tell periods of " + spec.interval() + " apart, such as "
                        + "{table}_p{yyyy}{MM}{dd}.");
            }
            if (taken.contains(name) && !replacedNames.contains(name)) {
                throw refused(spec, table.sibling(name) + " exists already. Fix: drop or rename it, or "
                        + (spec.operation() == ReshapeSpec.Operation.MERGE ? "--name" : "--naming") + " for other names.");
            }
        }
        TableFacts model = facts.partitions().get(replaced.get(0).name());
        if (spec.operation() == ReshapeSpec.Operation.MERGE) {
            requireAlike(spec, replaced, facts.partitions());
        }
        List<Shape.Piece> created = new ArrayList<>();
        for (Candidate piece : pieces) {
            created.add(piece(table, piece.name(), PartitionDdl.forValues(piece.bound()), piece.check(), replacedNames));
        }
        if (restOfDefault != null) {
            created.add(piece(table, replaced.get(0).name().name(), "DEFAULT", restOfDefault, replacedNames));
        }
        Set<String> createdNames = new HashSet<>(names);
        List<Shape.Piece> old = new ArrayList<>();
        for (Partition partition : replaced) {
            TableName retired = createdNames.contains(partition.name().name())
                    ? partition.name().sibling(Names.derived(partition.name().name(), "_pgp_old")) : partition.name();
            if (!retired.equals(partition.name()) && taken.contains(retired.name())) {
                throw refused(spec, retired + " exists already, the name " + partition.name() + " takes until cleanup. Fix: drop or "
                        + "rename it.");
            }
            old.add(new Shape.Piece(partition.name(), retired, PartitionDdl.forValues(partition.bound()),
                    partition.isDefault() ? "TRUE" : check(spec, facts.layout(), partition.bound())));
        }
        List<String> carriedOver = new ArrayList<>();
        List<String> prepare = new ArrayList<>();
        List<String> carried = new ArrayList<>();
        List<String> restored = new ArrayList<>();
        for (Shape.Piece piece : created) {
            boolean sameRole = restOfDefault == null || piece.isDefault();
            prepare.add("CREATE TABLE " + Sql.table(piece.building()) + " (LIKE " + Sql.table(table)
                    + " INCLUDING ALL EXCLUDING IDENTITY" + (piece.isDefault() ? "" : ", CONSTRAINT "
                    + Sql.identifier(PartitionDdl.BOUND_CHECK) + " CHECK (" + piece.check() + ")") + ")");
            for (TableFacts.Constraint constraint : parent.constraints()) {
                if (constraint.type().equals("f")) {
                    prepare.add("ALTER TABLE " + Sql.table(piece.building()) + " ADD CONSTRAINT " + Sql.identifier(constraint.name())
                            + " " + constraint.definition() + (constraint.validated() ? "" : " NOT VALID"));
                }
            }
            prepare.addAll(ownProperties(model, piece, sameRole));
            prepare.add("ALTER TABLE " + Sql.table(piece.building()) + " SET (autovacuum_enabled = false)");
            String autovacuum = model.reloptions().stream().filter(o -> o.startsWith("autovacuum_enabled=")).findFirst().orElse(null);
            carried.add("ALTER TABLE " + Sql.table(piece.name()) + (autovacuum == null ? " RESET (autovacuum_enabled)"
                    : " SET (" + autovacuum + ")"));
            for (TableFacts.Trigger trigger : model.triggers()) {
                if (sameRole || trigger.name().equals(GuardSql.WRITE_TRIGGER)) {
                    carried.add(Definitions.retarget(trigger.definition(), piece.name()));
                    if (!trigger.enabled().equals("O")) {
                        carried.add(enable(piece.name(), trigger.name(), trigger.enabled()));
                    }
                }
            }
        }
        for (Shape.Piece piece : old) {
            TableFacts partition = facts.partitions().get(piece.name());
            if (!piece.building().equals(piece.name())) {
                List<String> indexes = new ArrayList<>();
                partition.constraints().stream().filter(c -> List.of("p", "u", "x").contains(c.type())).forEach(c -> indexes.add(c.name()));
                partition.indexes().forEach(i -> indexes.add(i.name()));
                for (String index : indexes) {
                    String retired = Names.derived(index, "_pgp_old");
                    carried.add("ALTER INDEX " + Sql.table(piece.name().sibling(index)) + " RENAME TO " + Sql.identifier(retired));
                    restored.add("ALTER INDEX " + Sql.table(piece.name().sibling(retired)) + " RENAME TO " + Sql.identifier(index));
                }
            }
            for (TableFacts.Trigger trigger : partition.triggers()) {
                carried.add("ALTER TABLE " + Sql.table(piece.building()) + " DISABLE TRIGGER " + Sql.identifier(trigger.name()));
                restored.add(enable(piece.name(), trigger.name(), trigger.enabled()));
            }
        }
        TableName router = ReshapeSql.router(table);
        prepare.add("CREATE TABLE " + Sql.table(router) + " (LIKE " + Sql.table(table) + " INCLUDING DEFAULTS INCLUDING GENERATED) "
                + PartitionDdl.partitionBy(facts.layout().strategy(), facts.layout().key().columns()));
        for (Shape.Piece piece : created) {
            prepare.add("ALTER TABLE " + Sql.table(router) + " ATTACH PARTITION " + Sql.table(piece.building()) + " " + piece.forValues());
        }
        describeCarried(model, parent, carriedOver);
        Shape shape = new Shape(table, description, old, created, otherDefault, excluded, identity, types, columns, carried, restored);
        return new Planned(shape, prepare, carriedOver);
    }

    /** What a new partition takes of the replaced one: storage parameters, owner, grants, comment, row-level security. */
    private static List<String> ownProperties(TableFacts model, Shape.Piece piece, boolean all) {
        List<String> statements = new ArrayList<>();
        TableName table = piece.building();
        if (!model.reloptions().isEmpty()) {
            statements.add("ALTER TABLE " + Sql.table(table) + " SET (" + String.join(", ", model.reloptions()) + ")");
        }
        if (!model.replicaIdentity().equals("d") && !model.replicaIdentity().equals("i")) {
            statements.add("ALTER TABLE " + Sql.table(table) + " REPLICA IDENTITY " + (model.replicaIdentity().equals("f") ? "FULL" : "NOTHING"));
        }
        if (!model.owner().equals(model.role().name())) {
            statements.add("ALTER TABLE " + Sql.table(table) + " OWNER TO " + Sql.identifier(model.owner()));
        }
        statements.addAll(Definitions.accessOf(model, table, all));
        return statements;
    }

    private static void describeCarried(TableFacts model, TableFacts parent, List<String> carried) {
        carried.add("indexes, constraints and defaults of " + parent.name() + " (LIKE, and its foreign keys added before the rows "
                + "arrive, so that the attach checks nothing again); autovacuum stays off the new partitions until the swap");
        if (!model.triggers().isEmpty()) {
            carried.add(model.triggers().size() + " trigger" + (model.triggers().size() == 1 ? "" : "s") + " of the partition's own, "
                    + "created at the swap with their enabled state (disabled on the replaced partitions until cleanup)");
        }
        long columnGrants = model.columns().stream().mapToLong(c -> c.grants().size()).sum();
        if (!model.grants().isEmpty() || columnGrants > 0) {
            carried.add(model.grants().size() + " table grant" + (model.grants().size() == 1 ? "" : "s") + " and " + columnGrants
                    + " column grant" + (columnGrants == 1 ? "" : "s"));
        }
        if (model.rowSecurity() || !model.policies().isEmpty()) {
            carried.add("row-level security" + (model.forceRowSecurity() ? " (FORCE)" : "") + " with " + model.policies().size()
                    + " polic" + (model.policies().size() == 1 ? "y" : "ies"));
        }
        if (!model.owner().equals(model.role().name())) {
            carried.add("owner " + model.owner());
        }
    }

    /** Merged partitions must agree on what each new partition takes from them. */
    private static void requireAlike(ReshapeSpec spec, List<Partition> replaced, Map<TableName, TableFacts> facts) {
        TableFacts first = facts.get(replaced.get(0).name());
        for (Partition partition : replaced.subList(1, replaced.size())) {
            TableFacts other = facts.get(partition.name());
            List<String> differences = new ArrayList<>();
            if (!first.owner().equals(other.owner())) {
                differences.add("owner " + first.owner() + " and " + other.owner());
            }
            if (!new HashSet<>(first.grants()).equals(new HashSet<>(other.grants()))) {
                differences.add("grants");
            }
            if (first.rowSecurity() != other.rowSecurity() || first.forceRowSecurity() != other.forceRowSecurity()
                    || !new HashSet<>(first.policies()).equals(new HashSet<>(other.policies()))) {
                differences.add("row-level security");
            }
            if (!triggers(first).equals(triggers(other))) {
                differences.add("triggers " + triggers(first) + " and " + triggers(other));
            }
            if (!new HashSet<>(first.reloptions()).equals(new HashSet<>(other.reloptions()))) {
                differences.add("storage parameters (" + String.join(", ", first.reloptions()) + ") and (" + String.join(", ",
                        other.reloptions()) + ")");
            }
            if (!differences.isEmpty()) {
                throw refused(spec, replaced.get(0).name() + " and " + partition.name() + " differ in " + String.join(", ", differences)
                        + ": the merged partition could not keep both. Fix: make them alike first.");
            }
        }
    }

    private static Set<String> triggers(TableFacts facts) {
        Set<String> names = new LinkedHashSet<>();
        facts.triggers().forEach(t -> names.add(t.name() + (t.enabled().equals("O") ? "" : " (" + t.enabled() + ")")));
        return names;
    }

    private static Shape.Piece piece(TableName table, String name, String forValues, String check, Set<String> replacedNames) {
        TableName finalName = table.sibling(name);
        TableName building = replacedNames.contains(name) ? table.sibling(Names.derived(name, "_pgp_new")) : finalName;
        return new Shape.Piece(finalName, building, forValues, check);
    }

    private static String enable(TableName table, String trigger, String state) {
        String action = switch (state) {
            case "D" -> "DISABLE ";
            case "R" -> "ENABLE REPLICA ";
            case "A" -> "ENABLE ALWAYS ";
            default -> "ENABLE ";
        };
        return "ALTER TABLE " + Sql.table(table) + " " + action + "TRIGGER " + Sql.identifier(trigger);
    }

    /** The parent's primary key, or a unique constraint on NOT NULL columns: what identifies a row in the change log. */
    private static List<String> identity(ReshapeSpec spec, TableFacts parent, String key) {
        if (parent.primaryKey().isPresent()) {
            return parent.primaryKey().get().columns();
        }
        for (TableFacts.Constraint constraint : parent.constraints()) {
            if (constraint.type().equals("u") && constraint.columns().stream()
                    .allMatch(c -> parent.column(c).map(TableFacts.Column::notNull).orElse(false))) {
                return constraint.columns();
            }
        }
        String id = parent.column("id").isPresent() && !key.equals("id") ? "id, " : "<the columns that identify a row>, ";
        throw refused(spec, "it has no primary key (nor a unique constraint on NOT NULL columns), so the writes made while the "
                + "rows are copied cannot be told apart. Fix: add a primary key that includes the partition key " + key + ": ALTER "
                + "TABLE " + Sql.table(parent.name()) + " ADD PRIMARY KEY (" + id + Sql.identifier(key) + ").");
    }

    private static List<Partition> replacedPartitions(ReshapeSpec spec, Facts facts) {
        PartitionedTable layout = facts.layout();
        if (spec.operation() == ReshapeSpec.Operation.DRAIN) {
            return List.of(layout.defaultPartition().orElseThrow());
        }
        List<Partition> found = new ArrayList<>();
        Set<TableName> seen = new HashSet<>();
        for (TableName name : spec.partitions()) {
            Partition partition = layout.partitions().stream().filter(p -> p.name().equals(name)
                    || (name.schema() == null && p.name().name().equals(name.name()))).findFirst()
                    .orElseThrow(() -> refused(spec, name + " is not one of its partitions. Fix: pgpartition report "
                            + ShellWords.tableWord(layout.name()) + " lists them."));
            if (!seen.add(partition.name())) {
                throw refused(spec, partition.name() + " is named twice.");
            }
            if (partition.subpartitioned()) {
                throw refused(spec, partition.name() + " is itself partitioned; its own partitions are reshaped with it as the "
                        + "table. Fix: pgpartition repartition " + spec.operation().name().toLowerCase() + " " + ShellWords.tableWord(partition.name())
                        + " <its partitions>.");
            }
            if (spec.operation() == ReshapeSpec.Operation.MERGE && partition.isDefault()) {
                throw refused(spec, partition.name() + " is the default partition, which is not merged. Fix: pgpartition repartition "
                        + "drain " + ShellWords.tableWord(layout.name()) + " moves its rows into partitions.");
            }
            found.add(partition);
        }
        if (found.isEmpty()) {
            throw refused(spec, "no partition named.");
        }
        singleColumnKey(spec, layout);
        return found;
    }

    private static void singleColumnKey(ReshapeSpec spec, PartitionedTable layout) {
        if (layout.key().size() != 1 || layout.key().hasExpressions()) {
            throw refused(spec, "its partition key " + layout.key() + " has " + (layout.key().hasExpressions() ? "expressions" : "several "
                    + "columns") + "; partitions are reshaped on single-column keys.");
        }
    }

    private static String check(ReshapeSpec spec, PartitionedTable layout, PartitionBound bound) {
        String check = PartitionDdl.boundCheck(layout.key(), bound);
        if (check == null) {
            throw refused(spec, "no condition picks the rows of " + PartitionDdl.forValues(bound) + ".");
        }
        return check;
    }

    private static List<Candidate> pieces(ReshapeSpec spec, PartitionedTable layout, RangeBound range, PartitionInterval interval,
                                          TableName partition) {
        KeyPart part = layout.key().parts().get(0);
        RangeValue from = range.from().get(0);
        RangeValue to = range.to().get(0);
        if (!from.isValue() || !to.isValue()) {
            throw refused(spec, partition + " " + PartitionDdl.forValues(range) + " is unbounded; a split by an interval needs "
                    + "both ends.");
        }
        ColumnType type = part.type();
        Object start = periodStart(spec, type, from.value());
        if (!sameValue(layout, periodBound(spec, type, start).from(), range.from())) {
            throw refused(spec, partition + " " + PartitionDdl.forValues(range) + " does not begin where a period of " + interval
                    + " begins" + zoneNote(spec, type) + ", so its pieces would not tile it exactly. Fix: another --interval.");
        }
        List<Candidate> pieces = new ArrayList<>();
        while (true) {
            RangeBound bound = periodBound(spec, type, start);
            int end = layout.compareTuples(bound.to(), range.to());
            if (end > 0) {
                throw refused(spec, partition + " " + PartitionDdl.forValues(range) + " does not end where a period of " + interval
                        + " ends" + zoneNote(spec, type) + ", so its pieces would not tile it exactly. Fix: another --interval.");
            }
            if (pieces.size() >= MAX_PIECES) {
                throw refused(spec, partition + " " + PartitionDdl.forValues(range) + " holds more than " + MAX_PIECES + " periods of "
                        + interval + ". Fix: a wider --interval.");
            }
            pieces.add(new Candidate(name(spec, layout, type, start), bound, check(spec, layout, bound)));
            if (end == 0) {
                return pieces;
            }
            start = next(spec, type, start);
        }
    }

    private static String zoneNote(ReshapeSpec spec, ColumnType type) {
        return type.kind() == ValueKind.TIMESTAMPTZ ? " in " + spec.zone() : "";
    }

    private static boolean sameValue(PartitionedTable layout, List<RangeValue> left, List<RangeValue> right) {
        return layout.compareTuples(left, right) == 0;
    }

    private static boolean overlaps(PartitionedTable layout, RangeBound a, RangeBound b) {
        return layout.compareTuples(a.from(), b.to()) < 0 && layout.compareTuples(b.from(), a.to()) < 0;
    }

    /** The start of the period that holds {@code value}: a LocalDate for a time interval, a BigInteger for a numeric one. */
    private static Object periodStart(ReshapeSpec spec, ColumnType type, Object value) {
        if (spec.interval() instanceof TimeInterval time) {
            if (!type.isTemporal()) {
                throw refused(spec, "its key is of type " + type.sqlName() + ", which an interval of time does not step through. Fix: "
                        + "a numeric --interval such as 100000.");
            }
            return time.periodStart(date(spec.zone(), value));
        }
        NumericInterval numeric = (NumericInterval) spec.interval();
        BigInteger number = integer(value);
        if (number == null) {
            throw refused(spec, "its key is of type " + type.sqlName() + ", which a numeric interval does not step through. Fix: an "
                    + "interval of time such as '1 day'.");
        }
        return numeric.periodStart(number);
    }

    private static Object next(ReshapeSpec spec, ColumnType type, Object start) {
        if (spec.interval() instanceof TimeInterval time) {
            return time.plus((LocalDate) start, 1);
        }
        return ((BigInteger) start).add(((NumericInterval) spec.interval()).step());
    }

    private static RangeBound periodBound(ReshapeSpec spec, ColumnType type, Object start) {
        if (spec.interval() instanceof TimeInterval time) {
            RangeBound bound = time.bound((LocalDate) start, type.kind(), spec.zone());
            return new RangeBound(List.of(RangeValue.of(type.coerce(bound.from().get(0).value()))),
                    List.of(RangeValue.of(type.coerce(bound.to().get(0).value()))));
        }
        BigInteger from = (BigInteger) start;
        BigInteger to = from.add(((NumericInterval) spec.interval()).step());
        return new RangeBound(List.of(RangeValue.of(type.coerce(from))), List.of(RangeValue.of(type.coerce(to))));
    }

    private static String name(ReshapeSpec spec, PartitionedTable layout, ColumnType type, Object start) {
        NamingPattern naming = spec.naming();
        String table = layout.name().name();
        if (start instanceof LocalDate date) {
            if (naming.tokens().contains(NamingPattern.Token.VALUE)) {
                return naming.format(table, NamingPattern.Token.VALUE, date.format(DateTimeFormatter.BASIC_ISO_DATE));
            }
            return naming.format(table, date);
        }
        if (naming.tokens().contains(NamingPattern.Token.VALUE)) {
            return naming.format(table, NamingPattern.Token.VALUE, start.toString());
        }
        return table + "_p" + start;
    }

    private static String mergedName(PartitionedTable layout, PartitionBound bound, List<Partition> merged) {
        if (bound instanceof RangeBound range && range.from().get(0).isValue() && range.to().get(0).isValue()) {
            return layout.name().name() + "_p" + compact(range.from().get(0).value()) + "_" + compact(range.to().get(0).value());
        }
        return Names.derived(merged.get(0).name().name(), "_merged");
    }

    private static String compact(Object value) {
        if (value instanceof LocalDate date) {
            return date.format(DateTimeFormatter.BASIC_ISO_DATE);
        }
        if (value instanceof LocalDateTime time) {
            return time.toLocalTime().equals(LocalTime.MIDNIGHT) ? time.toLocalDate().format(DateTimeFormatter.BASIC_ISO_DATE)
                    : time.format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss"));
        }
        if (value instanceof Instant instant) {
            return compact(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
        }
        return value.toString().replaceAll("[^A-Za-z0-9]", "");
    }

    private static LocalDate date(ZoneId zone, Object value) {
        if (value instanceof LocalDate date) {
            return date;
        }
        if (value instanceof LocalDateTime time) {
            return time.toLocalDate();
        }
        if (value instanceof Instant instant) {
            return instant.atZone(zone).toLocalDate();
        }
        if (value instanceof OffsetDateTime time) {
            return time.atZoneSameInstant(zone).toLocalDate();
        }
        throw new IllegalArgumentException("Not a time value: " + value + " (" + value.getClass().getName() + ")");
    }

    private static BigInteger integer(Object value) {
        if (value instanceof BigInteger big) {
            return big;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            return BigInteger.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigDecimal decimal && decimal.stripTrailingZeros().scale() <= 0) {
            return decimal.toBigIntegerExact();
        }
        return null;
    }

    private static String between(PartitionedTable layout, RangeBound before, RangeBound after) {
        int order = layout.compareTuples(before.to(), after.from());
        return order < 0 ? " (a gap between them)" : " (they overlap)";
    }

    static PartitioningException refused(ReshapeSpec spec, String why) {
        return new PartitioningException(ErrorCode.RESHAPE_BLOCKED, "Cannot " + spec.operation().name().toLowerCase() + " "
                + (spec.partitions().isEmpty() ? "the partitions of " + spec.table() : String.join(", ",
                spec.partitions().stream().map(Objects::toString).toList()) + " of " + spec.table()) + ": " + why
                + " Nothing was changed.");
    }
}
