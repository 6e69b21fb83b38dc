package io.pgpartition.maintenance.internal;

import io.pgpartition.maintenance.MaintenanceFinding;
import io.pgpartition.maintenance.internal.RangePeriods.Period;
import io.pgpartition.model.ColumnType;
import io.pgpartition.model.KeyPart;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.RangeBound;
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
        List<Partition> ordered = layout.orderedPartitions();
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
                            + " already has a partition of that name for " + RangePeriods.describe(sameName.get().bound())
                            + ". Fix: rename that partition, or change the naming pattern."));
            return;
        }
        draft.wanted().add(new Draft.Wanted(period.name(), period.bound(), inHorizon, period.label()));
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
                .map(p -> p.name().name() + " " + RangePeriods.show((RangeBound) p.bound()))
                .collect(Collectors.joining(", "));
    }

    /**
     * Reports the key ranges before the current period that no partition holds, counting the partitions about to be
     * created; fills them period by period when the policy asks.
     */
    private static void gaps(Draft draft, List<Partition> ordered, RangePolicy policy, Period current) {
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
                gap(draft, ordered, policy, reach.get(0), bound.from().get(0));
            }
            if (reach == null || layout.compareTuples(bound.to(), reach) > 0) {
                reach = bound.to();
            }
        }
    }

    private static void gap(Draft draft, List<Partition> ordered, RangePolicy policy, RangeValue from, RangeValue to) {
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
