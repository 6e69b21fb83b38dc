package io.pgpartition.policy;

import io.pgpartition.model.RangeBound;
import io.pgpartition.model.ValueKind;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * A partition width of {@code count} calendar units. Periods are aligned to the calendar: days and weeks count from
 * 1970-01-05 (a Monday; weeks start on Monday as in ISO 8601), months from January of year 0, years from year 0.
 * So monthly periods start on the 1st, quarterly on January, April, July and October 1st, yearly on January 1st.
 */
public record TimeInterval(int count, TimeUnit unit) implements PartitionInterval {

    private static final LocalDate WEEK_ORIGIN = LocalDate.of(1970, 1, 5);

    public TimeInterval {
        if (count < 1) {
            throw new IllegalArgumentException("A time interval counts at least one " + unit);
        }
        if (unit == null) {
            throw new IllegalArgumentException("unit");
        }
    }

    /** The first day of the period that contains {@code date}. */
    public LocalDate periodStart(LocalDate date) {
        return switch (unit) {
            case DAY -> LocalDate.ofEpochDay(Math.floorDiv(date.toEpochDay(), count) * count);
            case WEEK -> {
                long days = ChronoUnit.DAYS.between(WEEK_ORIGIN, date);
                yield WEEK_ORIGIN.plusDays(Math.floorDiv(days, 7L * count) * 7L * count);
            }
            case MONTH -> {
                long months = date.getYear() * 12L + date.getMonthValue() - 1;
                long start = Math.floorDiv(months, count) * count;
                yield LocalDate.of((int) Math.floorDiv(start, 12), (int) Math.floorMod(start, 12) + 1, 1);
            }
            case YEAR -> LocalDate.of(Math.floorDiv(date.getYear(), count) * count, 1, 1);
        };
    }

    /** The first day of the period {@code periods} after the one starting at {@code start} (negative goes back). */
    public LocalDate plus(LocalDate start, long periods) {
        long amount = periods * count;
        return switch (unit) {
            case DAY -> start.plusDays(amount);
            case WEEK -> start.plusWeeks(amount);
            case MONTH -> start.plusMonths(amount);
            case YEAR -> start.plusYears(amount);
        };
    }

    /**
     * The bound of the period starting on {@code start}, for a key of this kind: dates as they are, timestamps at
     * midnight, timestamptz at midnight in {@code zone} (so periods meet without gap or overlap across daylight-saving
     * changes).
     */
    public RangeBound bound(LocalDate start, ValueKind kind, ZoneId zone) {
        LocalDate end = plus(start, 1);
        return switch (kind) {
            case DATE -> RangeBound.of(start, end);
            case TIMESTAMP -> RangeBound.of(start.atStartOfDay(), end.atStartOfDay());
            case TIMESTAMPTZ -> RangeBound.of(start.atStartOfDay(zone).toInstant(), end.atStartOfDay(zone).toInstant());
            default -> throw new IllegalArgumentException("A time interval bounds date, timestamp or timestamptz keys, not " + kind);
        };
    }

    /** As written in annotations: {@code 3 months}. */
    @Override
    public String toString() {
        return count + " " + unit.name().toLowerCase(Locale.ROOT) + (count == 1 ? "" : "s");
    }
}
