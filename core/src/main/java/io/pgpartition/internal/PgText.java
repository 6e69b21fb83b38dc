package io.pgpartition.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
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
        LocalDate date = LocalDate.parse(body);
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
            return atBc(LocalDate.parse(body).atStartOfDay(), bc);
        }
        LocalDate date = LocalDate.parse(body.substring(0, space));
        LocalTime time = LocalTime.parse(body.substring(space + 1));
        return atBc(LocalDateTime.of(date, time), bc);
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
                ? date.withYear(1 - date.getYear()) + " BC"
                : date.toString();
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
        StringBuilder text = new StringBuilder(32).append(shown.toLocalDate()).append(' ');
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
