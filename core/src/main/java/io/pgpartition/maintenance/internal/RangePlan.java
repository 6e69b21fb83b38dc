package io.pgpartition.maintenance.internal;

import io.pgpartition.maintenance.MaintenanceFinding;
import io.pgpartition.maintenance.internal.RangePeriods.Period;
import io.pgpartition.model.ColumnType;
import io.pgpartition.model.KeyPart;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.RangeGeometry;
import io.pgpartition.model.RangeGeometry.Coverage;
import io.pgpartition.model.RangeValue;
import io.pgpartition.model.TableName;
import io.pgpartition.model.ValueKind;
import io.pgpartition.policy.RangePolicy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a range policy wants of its table: the periods from now's to the premake horizon, the periods holding rows in
 * the default partition (when rescued), the gaps before now (filled when asked), the expired partitions (by
 * {@link RetentionPlan}) and the default partition.
 */
final class RangePlan {

    private RangePlan() {
    }

    /**
     * Fills the draft for a range policy.
     *
     * @param current the table's greatest key, for numeric policies (null when empty)
     * @param rescued one key of every period holding rows in the default partition, in key order
     */
    static Draft plan(Draft draft, RangePolicy policy, Instant now, Object current, List<Object> rescued) {
        PartitionedTable layout = draft.layout();
        TableName parent = draft.parent();
        if (layout.key().size() != 1 || layout.key().hasExpressions()) {
            draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.POLICY_MISMATCH, parent, "Table " + parent
                    + " is partitioned by " + layout.key() + "; range maintenance handles a single key column. Fix: "
                    + "create its partitions yourself, or remove its maintenance policy."));
            return draft;
        }
        KeyPart key = layout.key().parts().get(0);
        ColumnType type = key.type();
        if (!RangePeriods.fits(policy, type)) {
            boolean numericKey = type.kind() == ValueKind.INTEGER || type.kind() == ValueKind.NUMERIC;
            draft.findings().add(MaintenanceFinding.of(MaintenanceFinding.Kind.POLICY_MISMATCH, parent, "Table " + parent
                    + " is partitioned by column " + key.column() + " of type " + type + ", which an interval of "
                    + policy.interval() + " cannot step through. Fix: use " + (type.isTemporal() ? "an interval such as '1 month'"
                    : numericKey ? "an integer step such as '100000'" : "list or hash partitioning for this key") + "."));
            return draft;
        }
        Object start = policy.interval().isTime() ? now.atZone(policy.zone()).toLocalDate() : current == null ? 0L : current;
        Period first = RangePeriods.periodAfter(policy, type, parent, start, 0);
        Ordered ordered = Ordered.of(layout);
        for (int i = 0; i <= policy.premake(); i++) {
            want(draft, ordered, RangePeriods.periodAfter(policy, type, parent, start, i), true);
        }
        for (Object held : rescued) {
            want(draft, ordered, RangePeriods.periodOf(policy, type, parent, held), false);
        }
        gaps(draft, ordered, policy, first);
        RetentionPlan.expire(draft, policy, now, current, type);
        return draft.withDefaultCreated(policy.defaultPartition() && layout.defaultPartition().isEmpty());
    }

    /** Adds a period to create unless partitions cover it; reports partial overlaps and names in use. */
    private static void want(Draft draft, Ordered ordered, Period period, boolean inHorizon) {
        PartitionedTable layout = draft.layout();
        Coverage coverage = coverage(layout, ordered, period.bound());
        if (coverage == Coverage.FULL) {
            return;
        }
        if (coverage == Coverage.PARTIAL) {
            Optional<RangeBound> rest = inHorizon ? uncovered(layout, ordered, period.bound()) : Optional.empty();
            if (rest.isPresent() && draft.wanted().stream().noneMatch(wanted -> wanted.name().equals(period.name()))
                    && layout.partition(period.name().name()).isEmpty()) {
                draft.wanted().add(new Draft.Wanted(period.name(), rest.get(), true, RangePeriods.show(rest.get())
                        + " (existing partitions hold the rest of " + period.label() + ")"));
                return;
            }
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
                            + " already has a partition of that name for " + RangePeriods.describe(sameName.get().bound())
                            + ". Fix: rename that partition, or change the naming pattern."));
            return;
        }
        draft.wanted().add(new Draft.Wanted(period.name(), period.bound(), inHorizon, period.label()));
    }

    /**
     * The one part of {@code period} that no partition covers, when the partitions that cover the rest meet it at one
     * edge: where the policy's interval changed, the first period of the new interval begins where the old partitions
     * end (or ends where they begin), so that no gap or overlap is left at the seam. Empty when the uncovered part is
     * not one range.
     */
    static Optional<RangeBound> uncovered(PartitionedTable layout, Ordered ordered, RangeBound period) {
        List<RangeBound> covering = RangeGeometry.overlapping(ordered.bounds(), layout::compareTuples, period).stream()
                .map(ordered.bounds()::get).sorted((a, b) -> layout.compareTuples(a.from(), b.from())).toList();
        List<RangeBound> holes = new ArrayList<>();
        List<RangeValue> cursor = period.from();
        for (RangeBound bound : covering) {
            if (layout.compareTuples(bound.from(), cursor) > 0) {
                holes.add(new RangeBound(cursor, layout.compareTuples(bound.from(), period.to()) < 0 ? bound.from() : period.to()));
            }
            if (layout.compareTuples(bound.to(), cursor) > 0) {
                cursor = bound.to();
            }
        }
        if (layout.compareTuples(cursor, period.to()) < 0) {
            holes.add(new RangeBound(cursor, period.to()));
        }
        return holes.size() == 1 ? Optional.of(holes.get(0)) : Optional.empty();
    }

    /** The table's range partitions in key order, with their bounds. */
    private record Ordered(List<Partition> partitions, List<RangeBound> bounds) {
        static Ordered of(PartitionedTable layout) {
            List<Partition> partitions = layout.orderedPartitions();
            return new Ordered(partitions, PartitionedTable.rangeBounds(partitions));
        }
    }

    private static Coverage coverage(PartitionedTable layout, Ordered ordered, RangeBound bound) {
        return RangeGeometry.coverage(ordered.bounds(), layout::compareTuples, bound);
    }

    private static String overlapping(PartitionedTable layout, Ordered ordered, RangeBound bound) {
        return RangeGeometry.overlapping(ordered.bounds(), layout::compareTuples, bound).stream()
                .map(ordered.partitions()::get)
                .map(p -> p.name().name() + " " + RangePeriods.show((RangeBound) p.bound()))
                .collect(Collectors.joining(", "));
    }

    /**
     * Reports the key ranges before the current period that no partition holds, counting the partitions about to be
     * created; fills them period by period when the policy asks.
     */
    private static void gaps(Draft draft, Ordered ordered, RangePolicy policy, Period current) {
        PartitionedTable layout = draft.layout();
        List<RangeBound> bounds = new ArrayList<>(ordered.bounds());
        draft.wanted().forEach(w -> bounds.add((RangeBound) w.bound()));
        bounds.sort((a, b) -> layout.compareTuples(a.from(), b.from()));
        for (RangeGeometry.Hole hole : RangeGeometry.holes(bounds, layout::compareTuples)) {
            if (layout.compareTuples(hole.from(), current.bound().from()) < 0) {
                gap(draft, ordered, policy, hole.from().get(0), hole.to().get(0));
            }
        }
    }

    private static void gap(Draft draft, Ordered ordered, RangePolicy policy, RangeValue from, RangeValue to) {
        String range = "[" + from + ", " + to + ")";
        List<Period> fill = new ArrayList<>();
        boolean tooWide = false;
        if (from.isValue() && to.isValue()) {
            ColumnType type = draft.layout().key().parts().get(0).type();
            for (int i = 0; ; i++) {
                Period period = RangePeriods.periodAfter(policy, type, draft.parent(), from.value(), i);
                if (type.compare(period.start(), to.value()) >= 0) {
                    break;
                }
                if (i >= RangePeriods.MAX_FILL_PERIODS) {
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
                + ". Fix: " + (tooWide ? "the gap spans more than " + RangePeriods.MAX_FILL_PERIODS + " periods; create a partition "
                + "for it yourself" : "run maintenance with gaps filled (--fill-gaps, or MaintenancePolicy.withGapsFilled(true))") + "."));
    }
}
