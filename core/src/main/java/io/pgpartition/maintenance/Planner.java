package io.pgpartition.maintenance;

import io.pgpartition.ErrorCode;
import io.pgpartition.guard.GuardSql;
import io.pgpartition.PartitioningException;
import io.pgpartition.annotations.Expiry;
import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.catalog.Relation;
import io.pgpartition.ddl.PartitionDdl;
import io.pgpartition.ddl.Sql;
import io.pgpartition.model.ColumnType;
import io.pgpartition.model.DefaultBound;
import io.pgpartition.model.HashBound;
import io.pgpartition.model.KeyPart;
import io.pgpartition.model.ListBound;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionBound;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.RangeValue;
import io.pgpartition.model.TableName;
import io.pgpartition.model.ValueKind;
import io.pgpartition.policy.HashPolicy;
import io.pgpartition.policy.ListPartitionSpec;
import io.pgpartition.policy.ListPolicy;
import io.pgpartition.policy.NamingPattern;
import io.pgpartition.policy.NumericInterval;
import io.pgpartition.policy.RangePolicy;
import io.pgpartition.policy.TimeInterval;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Works out what one table's policy wants, from a catalog snapshot and the time: in a first pass a {@link Draft}
 * (partitions to create, partitions expired, findings), then, with the few facts the draft asks the database for,
 * the actions with their SQL. Runs no SQL itself.
 */
final class Planner {

    /** Gaps spanning more periods than this are reported but not filled period by period. */
    static final int MAX_FILL_PERIODS = 10_000;

    private Planner() {
    }

    /** A partition the policy wants and the table lacks. */
    record Wanted(TableName name, PartitionBound bound, boolean inHorizon, String label) {
    }

    /** The first pass over one table. */
    record Draft(MaintenancePolicy policy, Relation relation, PartitionedTable layout, List<Wanted> wanted,
                 List<Partition> expired, boolean createDefault, List<MaintenanceFinding> findings) {

        TableName parent() {
            return relation.name();
        }

        String archiveSchema() {
            return policy.archiveSchemaFor(parent().schema());
        }
    }

    /**
     * What the database says about the names and partitions a draft touches.
     *
     * @param detachPending partitions left {@code DETACH PENDING} (of any table)
     * @param access        what the role running maintenance may do, for the drops and archives that are due
     * @param leftovers     plain tables that carry a {@link RetentionMark} (of any table)
     */
    record Facts(Set<TableName> existing, Map<TableName, List<String>> references, Set<TableName> detachPending,
                 Map<TableName, List<String>> insertableColumns, Set<TableName> guarded, Access access,
                 List<Leftover> leftovers) {

        Facts(Set<TableName> existing, Map<TableName, List<String>> references, Set<TableName> detachPending,
              Map<TableName, List<String>> insertableColumns) {
            this(existing, references, detachPending, insertableColumns, Set.of(), Access.UNCHECKED, List.of());
        }
    }

    /**
     * What the role may do for retention's second step.
     *
     * @param role          the role's name, for the GRANT a message gives
     * @param createsSchema whether it may create schemas in the database
     * @param schemas       per archive schema that exists, whether the role has USAGE and CREATE on it (absent: missing)
     * @param notOwned      partitions to drop or archive that the role neither owns nor is a member of the owner of,
     *                      with the owner's name
     */
    record Access(String role, boolean createsSchema, Map<String, Boolean> schemas, Map<TableName, String> notOwned) {

        /** Nothing asked (plans made without a database, in tests): every archive schema taken to exist and be usable. */
        static final Access UNCHECKED = new Access(null, true, Map.of(), Map.of());

        boolean schemaExists(String schema) {
            return role == null || schemas.containsKey(schema);
        }
    }

    /** A plain table that a retention run detached and meant to drop or archive. */
    record Leftover(TableName table, RetentionMark mark, String bound) {
    }

    /**
     * The first pass: empty when the table is missing or does not fit its policy (then {@code findings} says so).
     *
     * @param current  the table's greatest key value, for numeric range policies (null when empty or not asked)
     * @param rescued  for a range policy rescuing its default partition: one key of every period holding rows there,
     *                 in key order (see {@link #periodEnd})
     * @throws PartitioningException {@link ErrorCode#IDENTIFIER_INVALID} when a name the policy makes is too long
     */
    static Optional<Draft> draft(MaintenancePolicy policy, CatalogSnapshot snapshot, Instant now, Object current,
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
        Draft draft = new Draft(policy, relation.get(), layout, new ArrayList<>(), new ArrayList<>(), false, new ArrayList<>());
        if (policy.policy() instanceof RangePolicy range) {
            draft = range(draft, range, now, current, rescued);
        } else if (policy.policy() instanceof ListPolicy list) {
            list(draft, list);
        } else {
            hash(draft, (HashPolicy) policy.policy());
        }
        for (Wanted wanted : draft.wanted()) {
            requireLength(parent, wanted.name().name(), policy);
        }
        if (draft.createDefault()) {
            requireLength(parent, defaultName(parent), policy);
        }
        return Optional.of(draft);
    }

    private static Draft range(Draft draft, RangePolicy policy, Instant now, Object current, List<Object> rescued) {
        PartitionedTable layout = draft.layout();
        TableName parent = draft.parent();
        if (layout.key().size() != 1 || layout.key().hasExpressions()) {
            draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.POLICY_MISMATCH, parent, "Table " + parent
                    + " is partitioned by " + layout.key() + "; range maintenance handles a single key column. Fix: "
                    + "create its partitions yourself, or remove its maintenance policy."));
            return draft;
        }
        KeyPart key = layout.key().parts().get(0);
        ValueKind kind = key.type().kind();
        boolean timeKey = kind == ValueKind.DATE || kind == ValueKind.TIMESTAMP || kind == ValueKind.TIMESTAMPTZ;
        boolean numericKey = kind == ValueKind.INTEGER || kind == ValueKind.NUMERIC;
        if (policy.interval().isTime() != timeKey || (!timeKey && !numericKey)) {
            draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.POLICY_MISMATCH, parent, "Table " + parent
                    + " is partitioned by column " + key.column() + " of type " + key.type() + ", which an interval of "
                    + policy.interval() + " cannot step through. Fix: use " + (timeKey ? "an interval such as '1 month'"
                    : numericKey ? "an integer step such as '100000'" : "list or hash partitioning for this key") + "."));
            return draft;
        }
        List<Period> periods = new ArrayList<>();
        Period first;
        if (policy.interval() instanceof TimeInterval time) {
            LocalDate start = time.periodStart(now.atZone(policy.zone()).toLocalDate());
            first = timePeriod(time, start, kind, policy, parent);
            for (int i = 0; i <= policy.premake(); i++) {
                periods.add(timePeriod(time, time.plus(start, i), kind, policy, parent));
            }
        } else {
            NumericInterval numeric = (NumericInterval) policy.interval();
            BigInteger start = numeric.periodStart(current == null ? BigInteger.ZERO : integral(current));
            first = numericPeriod(numeric, start, key.type(), policy, parent);
            for (int i = 0; i <= policy.premake(); i++) {
                periods.add(numericPeriod(numeric, start.add(numeric.step().multiply(BigInteger.valueOf(i))), key.type(), policy, parent));
            }
        }
        List<Partition> ordered = layout.orderedPartitions();
        for (Period period : periods) {
            want(draft, ordered, period, true);
        }
        for (Object held : rescued) {
            want(draft, ordered, periodOf(policy, key.type(), parent, held), false);
        }
        gaps(draft, ordered, policy, first, kind);
        retention(draft, policy, now, current, key.type());
        boolean createDefault = policy.defaultPartition() && layout.defaultPartition().isEmpty();
        return new Draft(draft.policy(), draft.relation(), layout, draft.wanted(), draft.expired(), createDefault, draft.findings());
    }

    /** One period of a range policy: its name and bound. */
    record Period(TableName name, RangeBound bound, String label) {
    }

    /**
     * The period of a range policy that holds {@code value} of a single-column key of {@code type} (a
     * {@link LocalDate}, {@link LocalDateTime}, {@link Instant} or integral number, as the key's kind reads).
     */
    static Period periodOf(RangePolicy policy, ColumnType type, TableName parent, Object value) {
        if (policy.interval() instanceof TimeInterval time) {
            return timePeriod(time, time.periodStart(localDate(value, policy)), type.kind(), policy, parent);
        }
        NumericInterval numeric = (NumericInterval) policy.interval();
        return numericPeriod(numeric, numeric.periodStart(integral(value)), type, policy, parent);
    }

    /** The exclusive upper end of the period of {@code policy} that holds {@code value}; see {@link #periodOf}. */
    static Object periodEnd(RangePolicy policy, ColumnType type, TableName parent, Object value) {
        return periodOf(policy, type, parent, value).bound().to().get(0).value();
    }

    static Period timePeriod(TimeInterval interval, LocalDate start, ValueKind kind, RangePolicy policy, TableName parent) {
        RangeBound bound = interval.bound(start, kind, policy.zone());
        return new Period(parent.sibling(policy.naming().format(parent.name(), start)), bound, show(bound));
    }

    static Period numericPeriod(NumericInterval interval, BigInteger start, ColumnType type, RangePolicy policy,
                                        TableName parent) {
        RangeBound bound = RangeBound.of(type.coerce(start), type.coerce(start.add(interval.step())));
        return new Period(parent.sibling(policy.naming().format(parent.name(), NamingPattern.Token.VALUE, start.toString())),
                bound, show(bound));
    }

    /** Adds a period to create unless partitions cover it; reports partial overlaps and names in use. */
    /** @param ordered the layout's partitions in key order */
    private static void want(Draft draft, List<Partition> ordered, Period period, boolean inHorizon) {
        PartitionedTable layout = draft.layout();
        Coverage coverage = coverage(layout, ordered, period.bound());
        if (coverage == Coverage.FULL) {
            return;
        }
        if (coverage == Coverage.PARTIAL) {
            draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.OVERLAP, draft.parent(), period.name(),
                    "Partition " + period.name() + " for " + period.label() + " is not created: existing partitions of "
                            + draft.parent() + " cover part of that range (" + overlapping(layout, ordered, period.bound())
                            + "). Fix: make the existing partitions match the policy's interval, or change the policy."));
            return;
        }
        if (draft.wanted().stream().anyMatch(wanted -> wanted.name().equals(period.name()))) {
            return;
        }
        Optional<Partition> sameName = layout.partition(period.name().name());
        if (sameName.isPresent()) {
            draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.NAME_TAKEN, draft.parent(), period.name(),
                    "Partition " + period.name() + " for " + period.label() + " is not created: " + draft.parent()
                            + " already has a partition of that name for " + describe(sameName.get().bound())
                            + ". Fix: rename that partition, or change the naming pattern."));
            return;
        }
        draft.wanted().add(new Wanted(period.name(), period.bound(), inHorizon, period.label()));
    }

    private enum Coverage { NONE, PARTIAL, FULL }

    /** How far the existing (non-default) partitions cover a range bound. */
    private static Coverage coverage(PartitionedTable layout, List<Partition> ordered, RangeBound bound) {
        List<RangeValue> reach = bound.from();
        boolean any = false;
        for (int i = firstEndingAfter(layout, ordered, bound.from()); i < ordered.size(); i++) {
            RangeBound existing = (RangeBound) ordered.get(i).bound();
            if (layout.compareTuples(existing.from(), bound.to()) >= 0) {
                break;
            }
            any = true;
            if (layout.compareTuples(existing.from(), reach) <= 0 && layout.compareTuples(existing.to(), reach) > 0) {
                reach = existing.to();
            }
        }
        if (!any) {
            return Coverage.NONE;
        }
        return layout.compareTuples(reach, bound.to()) >= 0 ? Coverage.FULL : Coverage.PARTIAL;
    }

    /**
     * The index of the first of the ordered range partitions that ends after {@code value}: range partitions do not
     * overlap, so their upper bounds are in order too.
     */
    private static int firstEndingAfter(PartitionedTable layout, List<Partition> ordered, List<RangeValue> value) {
        int low = 0;
        int high = ordered.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (layout.compareTuples(((RangeBound) ordered.get(middle).bound()).to(), value) <= 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private static String overlapping(PartitionedTable layout, List<Partition> ordered, RangeBound bound) {
        return ordered.stream()
                .filter(p -> layout.compareTuples(((RangeBound) p.bound()).to(), bound.from()) > 0
                        && layout.compareTuples(((RangeBound) p.bound()).from(), bound.to()) < 0)
                .map(p -> p.name().name() + " " + show((RangeBound) p.bound()))
                .collect(Collectors.joining(", "));
    }

    /**
     * Reports the key ranges before the current period that no partition holds, counting the partitions about to be
     * created; fills them period by period when the policy asks.
     */
    private static void gaps(Draft draft, List<Partition> ordered, RangePolicy policy, Period current, ValueKind kind) {
        PartitionedTable layout = draft.layout();
        List<RangeBound> bounds = new ArrayList<>();
        ordered.forEach(p -> bounds.add((RangeBound) p.bound()));
        draft.wanted().forEach(w -> bounds.add((RangeBound) w.bound()));
        bounds.sort((a, b) -> layout.compareTuples(a.from(), b.from()));
        List<RangeValue> reach = null;
        for (RangeBound bound : bounds) {
            if (layout.compareTuples(bound.from(), current.bound().from()) >= 0 && reach != null
                    && layout.compareTuples(reach, current.bound().from()) >= 0) {
                break;
            }
            if (reach != null && layout.compareTuples(reach, bound.from()) < 0) {
                gap(draft, ordered, policy, reach.get(0), bound.from().get(0), kind);
            }
            if (reach == null || layout.compareTuples(bound.to(), reach) > 0) {
                reach = bound.to();
            }
        }
    }

    private static void gap(Draft draft, List<Partition> ordered, RangePolicy policy, RangeValue from, RangeValue to, ValueKind kind) {
        String range = "[" + from + ", " + to + ")";
        List<Period> fill = new ArrayList<>();
        boolean tooWide = false;
        if (from.isValue() && to.isValue()) {
            ColumnType type = draft.layout().key().parts().get(0).type();
            java.util.function.IntFunction<Period> periodAt;
            if (policy.interval() instanceof TimeInterval time) {
                LocalDate start = time.periodStart(localDate(from.value(), policy));
                periodAt = i -> timePeriod(time, time.plus(start, i), kind, policy, draft.parent());
            } else {
                NumericInterval numeric = (NumericInterval) policy.interval();
                BigInteger start = numeric.periodStart(integral(from.value()));
                periodAt = i -> numericPeriod(numeric, start.add(numeric.step().multiply(BigInteger.valueOf(i))), type,
                        policy, draft.parent());
            }
            for (int i = 0; ; i++) {
                Period period = periodAt.apply(i);
                if (type.compare(period.bound().from().get(0).value(), to.value()) >= 0) {
                    break;
                }
                if (i >= MAX_FILL_PERIODS) {
                    tooWide = true;
                    break;
                }
                fill.add(period);
            }
        }
        if (draft.policy().fillGaps() && !tooWide && !fill.isEmpty()) {
            fill.forEach(period -> want(draft, ordered, period, false));
            return;
        }
        draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.GAP, draft.parent(), "No partition of "
                + draft.parent() + " holds keys in " + range + ": inserts there fail"
                + (draft.layout().defaultPartition().isPresent() ? " or land in the default partition" : "")
                + ". Fix: " + (tooWide ? "the gap spans more than " + MAX_FILL_PERIODS + " periods; create a partition for it yourself"
                : "run maintenance with gaps filled (--fill-gaps, or MaintenancePolicy.withGapsFilled(true))") + "."));
    }

    private static LocalDate localDate(Object value, RangePolicy policy) {
        if (value instanceof LocalDate date) {
            return date;
        }
        if (value instanceof LocalDateTime time) {
            return time.toLocalDate();
        }
        return ((Instant) value).atZone(policy.zone()).toLocalDate();
    }

    /** Partitions whose upper bound lies at or before now minus the retention. */
    private static void retention(Draft draft, RangePolicy policy, Instant now, Object current, ColumnType type) {
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
            cutoff = type.coerce(integral(current).subtract(step));
        }
        for (Partition partition : draft.layout().orderedPartitions()) {
            RangeValue to = ((RangeBound) partition.bound()).to().get(0);
            if (to.isValue() && type.compare(to.value(), cutoff) <= 0) {
                draft.expired().add(partition);
            }
        }
    }

    private static void list(Draft draft, ListPolicy policy) {
        PartitionedTable layout = draft.layout();
        ColumnType type = layout.key().parts().get(0).type();
        for (ListPartitionSpec spec : policy.partitions()) {
            TableName name = draft.parent().sibling(spec.name());
            List<Object> values = new ArrayList<>();
            for (String text : spec.values()) {
                values.add(type.parse(text));
            }
            ListBound bound = new ListBound(values);
            Optional<Partition> existing = layout.partition(spec.name());
            if (existing.isPresent()) {
                if (!(existing.get().bound() instanceof ListBound held) || !new HashSet<>(held.values()).equals(new HashSet<>(values))) {
                    draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.NAME_TAKEN, draft.parent(), name,
                            "Partition " + name + " of " + draft.parent() + " holds " + existing.get().bound()
                                    + ", but the policy declares it for IN " + spec.values() + ". Fix: correct the declaration, "
                                    + "or move the values between partitions yourself."));
                }
                continue;
            }
            List<String> taken = new ArrayList<>();
            for (Object value : values) {
                layout.orderedPartitions().stream()
                        .filter(p -> p.bound() instanceof ListBound held && held.values().contains(value))
                        .forEach(p -> taken.add(Sql.literal(value) + " in " + p.name().name()));
            }
            if (!taken.isEmpty()) {
                draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.OVERLAP, draft.parent(), name,
                        "Partition " + name + " is not created: other partitions of " + draft.parent() + " already hold "
                                + String.join(", ", taken) + ". Fix: correct the declaration, or move the values yourself."));
                continue;
            }
            draft.wanted().add(new Wanted(name, bound, true, bound.toString()));
        }
    }

    private static void hash(Draft draft, HashPolicy policy) {
        PartitionedTable layout = draft.layout();
        List<HashBound> missing;
        if (layout.partitions().stream().noneMatch(p -> !p.isDefault())) {
            missing = new ArrayList<>();
            for (int r = 0; r < policy.modulus(); r++) {
                missing.add(new HashBound(policy.modulus(), r));
            }
        } else {
            int modulus = layout.partitions().stream().filter(p -> p.bound() instanceof HashBound)
                    .mapToInt(p -> ((HashBound) p.bound()).modulus()).max().orElse(0);
            if (modulus != policy.modulus()) {
                draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.POLICY_MISMATCH, draft.parent(),
                        "Table " + draft.parent() + " is hash-partitioned with modulus " + modulus + ", but its policy says "
                                + policy.modulus() + ". Changing the modulus means re-partitioning the rows; maintenance "
                                + "does not do that. Fix: set the policy's modulus to " + modulus + "."));
                return;
            }
            missing = layout.missingRemainders();
        }
        for (HashBound bound : missing) {
            TableName name = draft.parent().sibling(policy.partitionName(draft.parent().name(), bound.remainder()));
            if (layout.partition(name.name()).isPresent()) {
                draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.NAME_TAKEN, draft.parent(), name,
                        "Partition " + name + " for " + bound + " is not created: " + draft.parent()
                                + " already has a partition of that name. Fix: rename it, or change the naming pattern."));
                continue;
            }
            draft.wanted().add(new Wanted(name, bound, true, bound.toString()));
        }
    }

    /** The names a draft would create or move partitions to, whose existence the database must tell. */
    static List<TableName> namesToCheck(Draft draft, List<Leftover> leftovers) {
        List<TableName> names = new ArrayList<>();
        draft.wanted().forEach(w -> names.add(w.name()));
        if (draft.createDefault()) {
            names.add(draft.parent().sibling(defaultName(draft.parent())));
        }
        if (draft.policy().range().map(RangePolicy::onExpiry).orElse(null) == Expiry.ARCHIVE) {
            draft.expired().forEach(p -> names.add(TableName.of(draft.archiveSchema(), p.name().name())));
        }
        leftovers.stream().filter(l -> l.mark().parent().equals(draft.parent()) && l.mark().archiveSchema().isPresent())
                .forEach(l -> names.add(TableName.of(l.mark().archiveSchema().get(), l.table().name())));
        return names;
    }

    /** The second pass: the actions of a draft, given what the database says. */
    static List<MaintenanceAction> actions(Draft draft, Facts facts, boolean concurrentDetach) {
        List<MaintenanceAction> actions = new ArrayList<>();
        TableName parent = draft.parent();
        PartitionedTable layout = draft.layout();
        Optional<Partition> defaultPartition = layout.defaultPartition();
        List<String> missing = new ArrayList<>();
        for (Wanted wanted : draft.wanted()) {
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
        retire(draft, facts, concurrentDetach, actions);
        return actions;
    }

    /**
     * The retention actions: first the table's partitions left {@code DETACH PENDING} (PostgreSQL allows one per table,
     * and no other concurrent detach until it is finished), then the expired partitions, then the tables an interrupted
     * run detached and did not drop or archive. A drop or archive whose second step the role could not do is not
     * started.
     */
    private static void retire(Draft draft, Facts facts, boolean concurrentDetach, List<MaintenanceAction> actions) {
        TableName parent = draft.parent();
        Expiry expiry = draft.policy().range().map(RangePolicy::onExpiry).orElse(Expiry.DETACH);
        boolean concurrently = concurrentDetach && draft.layout().defaultPartition().isEmpty();
        List<Partition> retiring = new ArrayList<>();
        for (Partition partition : draft.layout().orderedPartitions()) {
            if (facts.detachPending().contains(partition.name())) {
                retiring.add(partition);
                draft.findings().add(pendingFinding(parent, partition.name(), describe(partition.bound())));
            }
        }
        draft.expired().stream().filter(p -> !retiring.contains(p)).forEach(retiring::add);
        for (Partition partition : retiring) {
            boolean pending = facts.detachPending().contains(partition.name());
            boolean expired = draft.expired().contains(partition);
            Expiry then = expired ? expiry : Expiry.DETACH;
            List<String> references = facts.references().getOrDefault(partition.name(), List.of());
            if (expired && !pending && !references.isEmpty()) {
                draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.REFERENCED_BY_FOREIGN_KEY, parent,
                        partition.name(), "Expired partition " + partition.name() + " " + describe(partition.bound())
                                + " is kept whole: it is referenced by foreign key " + String.join(", ", references)
                                + ". Fix: delete or re-point the referencing rows and drop the foreign key, then run maintenance again."));
                continue;
            }
            if (!canFinish(draft, facts, partition.name(), then, describe(partition.bound()))) {
                continue;
            }
            List<String> statements = new ArrayList<>();
            // a detach in two transactions (CONCURRENTLY, or finishing one left pending) is marked first: a run stopped
            // between them leaves a table that says what retention meant for it
            boolean marked = (concurrently || pending)
                    && (then != Expiry.DETACH || !facts.access().notOwned().containsKey(partition.name()));
            if (marked) {
                statements.add("COMMENT ON TABLE " + Sql.table(partition.name()) + " IS " + Sql.literal(then == Expiry.DETACH
                        ? RetentionMark.detached(draft.parent(), describe(partition.bound()))
                        : mark(draft, then).comment(describe(partition.bound()))));
            }
            statements.add(pending ? PartitionDdl.detachFinalize(parent, partition.name())
                    : PartitionDdl.detach(parent, partition.name(), concurrently));
            statements.addAll(secondStep(draft, facts, partition.name(), then, describe(partition.bound()), marked));
            String what = switch (then) {
                case DETACH -> "detach";
                case DROP -> "detach and drop";
                case ARCHIVE -> "detach and archive into " + draft.archiveSchema();
            };
            actions.add(new MaintenanceAction(kind(then), parent, partition.name(), what + (expired ? " expired " : " ")
                    + partition.name() + " " + describe(partition.bound())
                    + (pending ? " (finishing an interrupted concurrent detach)" : concurrently ? " (concurrently)" : ""),
                    statements, !(concurrently || pending)));
        }
        for (Leftover leftover : facts.leftovers()) {
            if (!leftover.mark().parent().equals(parent)) {
                continue;
            }
            Expiry then = leftover.mark().expiry();
            String schema = leftover.mark().archiveSchema().orElse(null);
            draft.findings().add(leftoverFinding(leftover));
            Draft own = schema == null || schema.equals(draft.archiveSchema()) ? draft
                    : new Draft(draft.policy().withArchiveSchema(schema), draft.relation(), draft.layout(), draft.wanted(),
                    draft.expired(), draft.createDefault(), draft.findings());
            if (!canFinish(own, facts, leftover.table(), then, leftover.bound())) {
                continue;
            }
            actions.add(new MaintenanceAction(kind(then), parent, leftover.table(), "finish retention of " + leftover.table()
                    + " " + leftover.bound() + ": " + (then == Expiry.DROP ? "drop" : "archive into " + schema)
                    + " (detached from " + parent + " by an interrupted run)",
                    secondStep(own, facts, leftover.table(), then, leftover.bound(), false), true));
        }
    }

    /** The finding for a partition left {@code DETACH PENDING}. */
    static MaintenanceFinding pendingFinding(TableName parent, TableName partition, String bound) {
        return MaintenanceFinding.of(MaintenanceFinding.Kind.DETACH_PENDING, parent, partition, "Partition " + partition + " "
                + bound + " of " + parent + " is left DETACH PENDING by an interrupted concurrent detach: its rows are not "
                + "visible through " + parent + ", and no other partition of it can be detached concurrently until it is "
                + "finished. Fix: run maintenance, which finishes it, or " + PartitionDdl.detachFinalize(parent, partition) + ".");
    }

    /** The finding for a table retention detached and did not drop or archive. */
    static MaintenanceFinding leftoverFinding(Leftover leftover) {
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
            statements.add("DROP TRIGGER IF EXISTS " + Sql.identifier(GuardSql.WRITE_TRIGGER) + " ON " + Sql.table(table));
        }
        if (expiry == Expiry.ARCHIVE) {
            if (!facts.access().schemaExists(draft.archiveSchema())) {
                statements.add(PartitionDdl.createSchemaIfNotExists(draft.archiveSchema()));
            }
            statements.add(PartitionDdl.moveToSchema(table, draft.archiveSchema()));
            statements.add("COMMENT ON TABLE " + Sql.table(TableName.of(draft.archiveSchema(), table.name())) + " IS "
                    + Sql.literal(RetentionMark.archived(draft.parent(), bound)));
        } else if (!marked && !facts.access().notOwned().containsKey(table)) {
            statements.add("COMMENT ON TABLE " + Sql.table(table) + " IS " + Sql.literal(RetentionMark.detached(draft.parent(), bound)));
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
        Access access = facts.access();
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

    private static BigInteger integral(Object value) {
        if (value instanceof BigInteger i) {
            return i;
        }
        if (value instanceof BigDecimal d) {
            return d.setScale(0, java.math.RoundingMode.FLOOR).toBigInteger();
        }
        return BigInteger.valueOf(((Number) value).longValue());
    }

    /** A bound for messages: ranges as {@code [from, to)}. */
    static String describe(PartitionBound bound) {
        return bound instanceof RangeBound range ? show(range) : bound.toString();
    }

    /** A range bound as {@code [from, to)}. */
    static String show(RangeBound bound) {
        StringBuilder text = new StringBuilder("[");
        appendValues(text, bound.from()).append(", ");
        return appendValues(text, bound.to()).append(')').toString();
    }

    /** Each value as Java prints it, a year past 9999 without Java's sign (as PostgreSQL writes it). */
    private static StringBuilder appendValues(StringBuilder text, List<RangeValue> values) {
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i).toString();
            text.append(i == 0 ? "" : ", ").append(value.startsWith("+") ? value.substring(1) : value);
        }
        return text;
    }
}
