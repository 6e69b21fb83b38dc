package io.pgpartition.policy;

import io.pgpartition.PartitionDefinitionException;

import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The width of one range partition (or of a retention window): a count of calendar units for time keys, or an
 * integer step for numeric keys.
 */
public sealed interface PartitionInterval permits TimeInterval, NumericInterval {

    /** What the parsers accept, quoted in every error about interval or retention text. */
    String ACCEPTED = "a positive count of days, weeks, months, quarters or years such as '1 day', '1 week', "
            + "'1 month', '3 months', '1 quarter', '1 year' (or daily, weekly, monthly, quarterly, yearly), "
            + "or a positive integer step such as '100000' for a numeric key";

    /** The largest count accepted, far beyond any sensible partition width. */
    int MAX_COUNT = 10_000;

    /** Whether this interval steps through time (as opposed to numbers). */
    default boolean isTime() {
        return this instanceof TimeInterval;
    }

    /**
     * Parses interval text.
     *
     * @param text       the text as written, such as {@code 3 months}
     * @param annotation where the text comes from, for the error message, such as {@code @RangePartitions}
     * @param attribute  which attribute, such as {@code interval}
     * @throws PartitionDefinitionException naming annotation, attribute, text and what is accepted
     */
    static PartitionInterval parse(String text, String annotation, String attribute) {
        String normalized = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        switch (normalized) {
            case "daily" -> { return new TimeInterval(1, TimeUnit.DAY); }
            case "weekly" -> { return new TimeInterval(1, TimeUnit.WEEK); }
            case "monthly" -> { return new TimeInterval(1, TimeUnit.MONTH); }
            case "quarterly" -> { return new TimeInterval(3, TimeUnit.MONTH); }
            case "yearly" -> { return new TimeInterval(1, TimeUnit.YEAR); }
            default -> { }
        }
        Matcher time = Forms.TIME.matcher(normalized);
        if (time.matches()) {
            int count = count(time.group(1), text, annotation, attribute);
            String unit = time.group(2);
            return switch (unit) {
                case "day" -> new TimeInterval(count, TimeUnit.DAY);
                case "week" -> new TimeInterval(count, TimeUnit.WEEK);
                case "month" -> new TimeInterval(count, TimeUnit.MONTH);
                case "quarter" -> new TimeInterval(Math.multiplyExact(count, 3), TimeUnit.MONTH);
                default -> new TimeInterval(count, TimeUnit.YEAR);
            };
        }
        if (Forms.NUMBER.matcher(normalized).matches()) {
            BigInteger step = new BigInteger(normalized.replace("_", ""));
            if (step.signum() > 0) {
                return new NumericInterval(step);
            }
        }
        throw new PartitionDefinitionException(annotation, attribute, text, ACCEPTED);
    }

    private static int count(String digits, String text, String annotation, String attribute) {
        BigInteger count = new BigInteger(digits);
        if (count.signum() <= 0 || count.compareTo(BigInteger.valueOf(MAX_COUNT)) > 0) {
            throw new PartitionDefinitionException(annotation, attribute, text,
                    "a count from 1 to " + MAX_COUNT + " of days, weeks, months, quarters or years");
        }
        return count.intValue();
    }

    /** Patterns of the accepted text, kept out of the public interface's constants. */
    final class Forms {
        static final Pattern TIME = Pattern.compile("(\\d+) (day|week|month|quarter|year)s?");
        static final Pattern NUMBER = Pattern.compile("\\d[\\d_]*");

        private Forms() {
        }
    }
}
