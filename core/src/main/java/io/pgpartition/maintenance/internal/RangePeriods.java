package io.pgpartition.maintenance.internal;

import io.pgpartition.model.ColumnType;
import io.pgpartition.model.PartitionBound;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.RangeValue;
import io.pgpartition.model.TableName;
import io.pgpartition.model.ValueKind;
import io.pgpartition.policy.NamingPattern;
import io.pgpartition.policy.NumericInterval;
import io.pgpartition.policy.PartitionInterval;
import io.pgpartition.policy.RangePolicy;
import io.pgpartition.policy.TimeInterval;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

/** The periods a range policy lays out: which period holds a key, its name and bound, and how bounds are shown. */
public final class RangePeriods {

    /** Gaps spanning more periods than this are reported but not filled period by period. */
    public static final int MAX_FILL_PERIODS = 10_000;

    private RangePeriods() {
    }

    /** One period of a range policy: its partition's name, its bound, and the bound as messages show it. */
    public record Period(TableName name, RangeBound bound, String label) {

        /** The first key of the period. */
        Object start() {
            return bound.from().get(0).value();
        }

        /** The first key after the period. */
        Object end() {
            return bound.to().get(0).value();
        }
    }

    /**
     * The period of a range policy that holds {@code value} of a single-column key of {@code type} (a
     * {@link LocalDate}, {@link LocalDateTime}, {@link Instant} or integral number, as the key's kind reads).
     */
    public static Period periodOf(RangePolicy policy, ColumnType type, TableName parent, Object value) {
        PartitionInterval interval = policy.interval();
        if (interval instanceof TimeInterval time) {
            return timePeriod(time, time.periodStart(localDate(value, policy)), type.kind(), policy, parent);
        }
        NumericInterval numeric = (NumericInterval) interval;
        return numericPeriod(numeric, numeric.periodStart(integral(value)), type, policy, parent);
    }

    /** The period {@code steps} periods after the one that holds {@code value}. */
    public static Period periodAfter(RangePolicy policy, ColumnType type, TableName parent, Object value, int steps) {
        if (policy.interval() instanceof TimeInterval time) {
            LocalDate start = time.periodStart(localDate(value, policy));
            return timePeriod(time, time.plus(start, steps), type.kind(), policy, parent);
        }
        NumericInterval numeric = (NumericInterval) policy.interval();
        BigInteger start = numeric.periodStart(integral(value));
        return numericPeriod(numeric, start.add(numeric.step().multiply(BigInteger.valueOf(steps))), type, policy, parent);
    }

    /** The exclusive upper end of the period of {@code policy} that holds {@code value}; see {@link #periodOf}. */
    public static Object periodEnd(RangePolicy policy, ColumnType type, TableName parent, Object value) {
        return periodOf(policy, type, parent, value).end();
    }

    private static Period timePeriod(TimeInterval interval, LocalDate start, ValueKind kind, RangePolicy policy, TableName parent) {
        RangeBound bound = interval.bound(start, kind, policy.zone());
        return new Period(parent.sibling(policy.naming().format(parent.name(), start)), bound, show(bound));
    }

    private static Period numericPeriod(NumericInterval interval, BigInteger start, ColumnType type, RangePolicy policy,
                                        TableName parent) {
        RangeBound bound = RangeBound.of(type.coerce(start), type.coerce(start.add(interval.step())));
        return new Period(parent.sibling(policy.naming().format(parent.name(), NamingPattern.Token.VALUE, start.toString())),
                bound, show(bound));
    }

    /** Whether a policy's interval can step through a key of this type. */
    public static boolean fits(RangePolicy policy, ColumnType type) {
        ValueKind kind = type.kind();
        boolean numeric = kind == ValueKind.INTEGER || kind == ValueKind.NUMERIC;
        return policy.interval().isTime() ? type.isTemporal() : numeric && policy.interval() instanceof NumericInterval;
    }

    static BigInteger integral(Object value) {
        if (value instanceof BigInteger i) {
            return i;
        }
        if (value instanceof BigDecimal d) {
            return d.setScale(0, RoundingMode.FLOOR).toBigInteger();
        }
        return BigInteger.valueOf(((Number) value).longValue());
    }

    static LocalDate localDate(Object value, RangePolicy policy) {
        if (value instanceof LocalDate date) {
            return date;
        }
        if (value instanceof LocalDateTime time) {
            return time.toLocalDate();
        }
        return ((Instant) value).atZone(policy.zone()).toLocalDate();
    }

    /** A bound for messages: ranges as {@code [from, to)}. */
    public static String describe(PartitionBound bound) {
        return bound instanceof RangeBound range ? show(range) : bound.toString();
    }

    /** A range bound as {@code [from, to)}. */
    public static String show(RangeBound bound) {
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
