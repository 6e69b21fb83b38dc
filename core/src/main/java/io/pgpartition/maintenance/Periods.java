package io.pgpartition.maintenance;

import io.pgpartition.PartitioningException;
import io.pgpartition.ErrorCode;
import io.pgpartition.maintenance.internal.RangePeriods;
import io.pgpartition.model.ColumnType;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.TableName;
import io.pgpartition.model.ValueKind;
import io.pgpartition.policy.RangePolicy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The partitions a range policy lays out, for callers that create a whole table's partitions at once (conversion):
 * the same names and bounds maintenance makes.
 */
public final class Periods {

    private Periods() {
    }

    /**
     * One partition of a range policy.
     *
     * @param name  the partition, beside its parent
     * @param bound its bound
     */
    public record Period(TableName name, RangeBound bound) {
    }

    /**
     * The periods holding every key from {@code from} to {@code to} (both included; either may be null for a table
     * with no rows) and those from now's period to the premake horizon, in key order without repeats.
     *
     * @param parent the table the partitions belong to, whose name the policy's naming pattern uses
     * @param type   the key column's type
     * @param now    the time the horizon is counted from (a numeric policy counts it from {@code to})
     * @throws PartitioningException {@link ErrorCode#DEFINITION_INVALID} when the span needs more than
     *                               {@value io.pgpartition.maintenance.internal.RangePeriods#MAX_FILL_PERIODS} partitions
     */
    public static List<Period> covering(RangePolicy policy, TableName parent, ColumnType type, Object from, Object to, Instant now) {
        from = type.coerce(from);
        to = type.coerce(to);
        Map<TableName, Period> periods = new LinkedHashMap<>();
        boolean time = policy.interval().isTime();
        Object horizonStart = time ? nowAs(type.kind(), now, policy) : to;
        Object first = from != null ? from : horizonStart;
        Object last = latest(type, to, horizonStart);
        if (first != null && last != null) {
            Object key = first;
            while (type.compare(key, last) <= 0) {
                RangePeriods.Period period = RangePeriods.periodOf(policy, type, parent, key);
                periods.put(period.name(), new Period(period.name(), period.bound()));
                if (periods.size() > RangePeriods.MAX_FILL_PERIODS) {
                    throw new PartitioningException(ErrorCode.DEFINITION_INVALID, "Keys of " + parent + " from " + from + " to " + to
                            + " span more than " + RangePeriods.MAX_FILL_PERIODS + " partitions of " + policy.interval()
                            + ". Fix: choose a wider interval.");
                }
                key = period.bound().to().get(0).value();
            }
        }
        if (horizonStart != null) {
            RangePeriods.Period current = RangePeriods.periodOf(policy, type, parent, horizonStart);
            Object key = current.bound().from().get(0).value();
            for (int i = 0; i <= policy.premake(); i++) {
                RangePeriods.Period period = RangePeriods.periodOf(policy, type, parent, key);
                periods.putIfAbsent(period.name(), new Period(period.name(), period.bound()));
                key = period.bound().to().get(0).value();
            }
        }
        List<Period> ordered = new ArrayList<>(periods.values());
        ordered.sort((a, b) -> type.compare(a.bound().from().get(0).value(), b.bound().from().get(0).value()));
        return ordered;
    }

    private static Object latest(ColumnType type, Object a, Object b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return type.compare(a, b) >= 0 ? a : b;
    }

    private static Object nowAs(ValueKind kind, Instant now, RangePolicy policy) {
        return switch (kind) {
            case DATE -> LocalDate.ofInstant(now, policy.zone());
            case TIMESTAMP -> LocalDateTime.ofInstant(now, policy.zone());
            default -> now;
        };
    }

    /** Whether a policy's interval can step through a key of this type. */
    public static boolean fits(RangePolicy policy, ColumnType type) {
        return RangePeriods.fits(policy, type);
    }
}
