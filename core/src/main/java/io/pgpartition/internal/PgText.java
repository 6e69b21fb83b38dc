package io.pgpartition.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Conversion between java.time values and PostgreSQL's ISO text form of date, timestamp and timestamptz,
 * including {@code infinity}, {@code -infinity} and BC years.
 */
public final class PgText {

    private PgText() {
    }

    public static LocalDate parseDate(String text) {
        String trimmed = text.trim();
        if (trimmed.equals("infinity")) {
            return LocalDate.MAX;
        }
        if (trimmed.equals("-infinity")) {
            return LocalDate.MIN;
        }
        boolean bc = trimmed.endsWith(" BC");
        String body = bc ? trimmed.substring(0, trimmed.length() - 3) : trimmed;
        LocalDate date = date(body);
        return bc ? date.withYear(1 - date.getYear()) : date;
    }

    public static LocalDateTime parseTimestamp(String text) {
        String trimmed = text.trim();
        if (trimmed.equals("infinity")) {
            return LocalDateTime.MAX;
        }
        if (trimmed.equals("-infinity")) {
            return LocalDateTime.MIN;
        }
        boolean bc = trimmed.endsWith(" BC");
        String body = bc ? trimmed.substring(0, trimmed.length() - 3) : trimmed;
        int space = body.indexOf(' ');
        if (space < 0) {
            space = body.indexOf('T');
        }
        if (space < 0) {
            return atBc(date(body).atStartOfDay(), bc);
        }
        LocalDate date = date(body.substring(0, space));
        LocalTime time = time(body.substring(space + 1));
        return atBc(LocalDateTime.of(date, time), bc);
    }

    /**
     * {@code yyyy-MM-dd} read digit by digit, the form the server sends for years 1 to 9999 (catalog reads parse one
     * per partition bound); anything else through {@link LocalDate#parse}, which also reports bad text.
     */
    private static LocalDate date(String text) {
        if (text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 7);
            int day = digits(text, 8, 10);
            if (year > 0 && month >= 1 && month <= 12 && day >= 1 && day <= Month.of(month).length(Year.isLeap(year))) {
                return LocalDate.of(year, month, day);
            }
        }
        int length = text.length();
        if (length > 10 && length <= 15 && text.charAt(length - 6) == '-' && text.charAt(length - 3) == '-') {
            int year = digits(text, 0, length - 6); // years past 9999, which the server writes with all their digits
            int month = digits(text, length - 5, length - 3);
            int day = digits(text, length - 2, length);
            if (year > 9999 && month >= 1 && month <= 12 && day >= 1 && day <= Month.of(month).length(Year.isLeap(year))) {
                return LocalDate.of(year, month, day);
            }
        }
        return LocalDate.parse(text);
    }

    /** {@code HH:mm:ss} and {@code HH:mm:ss.f...} read digit by digit; anything else through {@link LocalTime#parse}. */
    private static LocalTime time(String text) {
        int length = text.length();
        boolean shaped = length >= 8 && text.charAt(2) == ':' && text.charAt(5) == ':'
                && (length == 8 || length >= 10 && length <= 18 && text.charAt(8) == '.');
        if (shaped) {
            int hour = digits(text, 0, 2);
            int minute = digits(text, 3, 5);
            int second = digits(text, 6, 8);
            int fraction = length == 8 ? 0 : digits(text, 9, length);
            if (hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && fraction >= 0) {
                int nanos = fraction;
                for (int digit = length - 9; digit < 9 && length > 8; digit++) {
                    nanos *= 10;
                }
                return LocalTime.of(hour, minute, second, nanos);
            }
        }
        return LocalTime.parse(text);
    }

    /** The decimal number in {@code text[from, to)}, or -1 when a character there is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    public static Instant parseTimestampTz(String text) {
        String trimmed = text.trim();
        if (trimmed.equals("infinity")) {
            return Instant.MAX;
        }
        if (trimmed.equals("-infinity")) {
            return Instant.MIN;
        }
        boolean bc = trimmed.endsWith(" BC");
        String body = bc ? trimmed.substring(0, trimmed.length() - 3) : trimmed;
        int timeStart = Math.max(body.indexOf(' '), body.indexOf('T'));
        if (timeStart < 0) {
            throw new DateTimeParseException("No time part in timestamptz", text, 0);
        }
        int sign = Math.max(body.lastIndexOf('+'), body.lastIndexOf('-'));
        ZoneOffset offset = ZoneOffset.UTC;
        String local = body;
        if (body.endsWith("Z")) {
            local = body.substring(0, body.length() - 1);
        } else if (sign > timeStart) {
            offset = parseOffset(body.substring(sign));
            local = body.substring(0, sign);
        }
        return parseTimestamp(local + (bc ? " BC" : "")).toInstant(offset);
    }

    private static ZoneOffset parseOffset(String text) {
        String[] parts = text.substring(1).split(":");
        int hours = Integer.parseInt(parts[0]);
        int minutes = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        int seconds = parts.length > 2 ? Integer.parseInt(parts[2]) : 0;
        int sign = text.charAt(0) == '-' ? -1 : 1;
        return ZoneOffset.ofHoursMinutesSeconds(sign * hours, sign * minutes, sign * seconds);
    }

    private static LocalDateTime atBc(LocalDateTime value, boolean bc) {
        return bc ? value.withYear(1 - value.getYear()) : value;
    }

    public static String formatDate(LocalDate date) {
        if (date.equals(LocalDate.MAX)) {
            return "infinity";
        }
        if (date.equals(LocalDate.MIN)) {
            return "-infinity";
        }
        return date.getYear() <= 0
                ? isoDate(date.withYear(1 - date.getYear())) + " BC"
                : isoDate(date);
    }

    /** {@code yyyy-MM-dd} with every digit of a year past 9999 and no sign, as the server writes and reads it. */
    private static String isoDate(LocalDate date) {
        String text = date.toString();
        return text.startsWith("+") ? text.substring(1) : text;
    }

    public static String formatTimestamp(LocalDateTime value) {
        if (value.equals(LocalDateTime.MAX)) {
            return "infinity";
        }
        if (value.equals(LocalDateTime.MIN)) {
            return "-infinity";
        }
        boolean bc = value.getYear() <= 0;
        LocalDateTime shown = bc ? value.withYear(1 - value.getYear()) : value;
        StringBuilder text = new StringBuilder(32).append(isoDate(shown.toLocalDate())).append(' ');
        twoDigits(text, shown.getHour()).append(':');
        twoDigits(text, shown.getMinute()).append(':');
        twoDigits(text, shown.getSecond());
        int micros = shown.get(ChronoField.MICRO_OF_SECOND);
        if (micros != 0) {
            text.append('.').append(String.format("%06d", micros).replaceAll("0+$", ""));
        }
        if (bc) {
            text.append(" BC");
        }
        return text.toString();
    }

    private static StringBuilder twoDigits(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    public static String formatTimestampTz(Instant value) {
        if (value.equals(Instant.MAX)) {
            return "infinity";
        }
        if (value.equals(Instant.MIN)) {
            return "-infinity";
        }
        String local = formatTimestamp(LocalDateTime.ofInstant(value, ZoneOffset.UTC));
        return local.endsWith(" BC")
                ? local.substring(0, local.length() - 3) + "+00 BC"
                : local + "+00";
    }
}
