package io.pgpartition.model;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.internal.PgText;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * The type of a partition key column: its PostgreSQL name, the {@link ValueKind} pgpartition maps it to, for an
 * enum type its labels in declared order, and the built-in type the server stores its values as. Turns PostgreSQL's
 * text and application values into one canonical Java value per kind, and orders those values the way PostgreSQL does.
 *
 * <p>Text is ordered by Unicode code point, which is PostgreSQL's order under the {@code C} collation; range
 * partitions of text keys under a linguistic collation may order differently.
 *
 * @param sqlName    the type as PostgreSQL names it, such as {@code timestamp without time zone} or a domain's name
 * @param kind       the family of the type
 * @param enumLabels the labels of an enum type in their sort order; empty for other types
 * @param storedAs   the built-in type with its modifier that values are coerced to before the server routes them:
 *                   for a domain its base type with the domain's modifier ({@code character(4)} for a domain over
 *                   {@code char(4)}), otherwise {@code sqlName}
 */
public record ColumnType(String sqlName, ValueKind kind, List<String> enumLabels, String storedAs) {

    public ColumnType {
        Objects.requireNonNull(sqlName, "sqlName");
        Objects.requireNonNull(kind, "kind");
        enumLabels = List.copyOf(enumLabels);
        storedAs = storedAs == null ? sqlName : storedAs;
    }

    public ColumnType(String sqlName, ValueKind kind, List<String> enumLabels) {
        this(sqlName, kind, enumLabels, sqlName);
    }

    public static ColumnType of(String sqlName, ValueKind kind) {
        return new ColumnType(sqlName, kind, List.of());
    }

    /** A type whose values the server stores as {@code storedAs}: a domain over a built-in type. */
    public static ColumnType of(String sqlName, ValueKind kind, String storedAs) {
        return new ColumnType(sqlName, kind, List.of(), storedAs);
    }

    public static ColumnType enumType(String sqlName, List<String> labels) {
        return new ColumnType(sqlName, ValueKind.ENUM, labels);
    }

    /**
     * The kind of a built-in type from its {@code pg_type.typname}: {@code date}, {@code timestamp},
     * {@code timestamptz}, {@code int2}, {@code int4}, {@code int8}, {@code numeric}, {@code text}, {@code varchar},
     * {@code bpchar}, {@code uuid}, {@code bool}; any other is {@link ValueKind#OTHER}.
     */
    public static ValueKind kindOfTypeName(String typname) {
        return switch (typname) {
            case "date" -> ValueKind.DATE;
            case "timestamp" -> ValueKind.TIMESTAMP;
            case "timestamptz" -> ValueKind.TIMESTAMPTZ;
            case "int2", "int4", "int8" -> ValueKind.INTEGER;
            case "numeric" -> ValueKind.NUMERIC;
            case "text", "varchar", "bpchar", "name" -> ValueKind.TEXT;
            case "uuid" -> ValueKind.UUID;
            case "bool" -> ValueKind.BOOLEAN;
            default -> ValueKind.OTHER;
        };
    }

    /** Turns PostgreSQL's text form of a value (ISO date style) into the canonical Java value. */
    public Object parse(String text) {
        Objects.requireNonNull(text, "text");
        try {
            return switch (kind) {
                case DATE -> PgText.parseDate(text);
                case TIMESTAMP -> PgText.parseTimestamp(text);
                case TIMESTAMPTZ -> PgText.parseTimestampTz(text);
                case INTEGER -> Long.valueOf(text.trim());
                case NUMERIC -> new BigDecimal(text.trim());
                case UUID -> java.util.UUID.fromString(text.trim());
                case BOOLEAN -> parseBoolean(text.trim());
                case ENUM -> requireLabel(text);
                case TEXT -> isBlankPadded() ? stripTrailingBlanks(text) : text;
                case OTHER -> text;
            };
        } catch (RuntimeException e) {
            if (e instanceof PartitioningException) {
                throw e;
            }
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE,
                    "Cannot read '" + text + "' as a value of type " + sqlName + ": " + e.getMessage(), e);
        }
    }

    /**
     * Turns an application value into the canonical Java value of this type: accepts the canonical type itself and
     * the usual alternatives ({@code java.sql} types, {@code OffsetDateTime}, any integral {@code Number}, enum
     * constants by name, UUIDs as text).
     *
     * @throws IllegalArgumentException naming the value, its class and this type when it does not fit
     */
    public Object coerce(Object value) {
        if (value == null) {
            return null;
        }
        Object result = switch (kind) {
            case DATE -> value instanceof LocalDate d ? d
                    : value instanceof java.sql.Date d ? d.toLocalDate()
                    : value instanceof LocalDateTime t && t.toLocalTime().toNanoOfDay() == 0 ? t.toLocalDate()
                    : null;
            case TIMESTAMP -> value instanceof LocalDateTime t ? t
                    : value instanceof Timestamp t ? t.toLocalDateTime()
                    : value instanceof LocalDate d ? d.atStartOfDay()
                    : null;
            case TIMESTAMPTZ -> value instanceof Instant i ? i
                    : value instanceof OffsetDateTime t ? t.toInstant()
                    : value instanceof ZonedDateTime t ? t.toInstant()
                    : value instanceof Date d ? d.toInstant()
                    : null;
            case INTEGER -> integral(value);
            case NUMERIC -> value instanceof BigDecimal d ? d
                    : value instanceof BigInteger i ? new BigDecimal(i)
                    : value instanceof Double || value instanceof Float ? BigDecimal.valueOf(((Number) value).doubleValue())
                    : value instanceof Number n ? BigDecimal.valueOf(n.longValue())
                    : null;
            case UUID -> value instanceof java.util.UUID u ? u
                    : value instanceof String s ? java.util.UUID.fromString(s)
                    : null;
            case BOOLEAN -> value instanceof Boolean b ? b : null;
            case ENUM -> requireLabel(value instanceof Enum<?> e ? e.name() : value.toString());
            case TEXT -> {
                String text = value instanceof Enum<?> e ? e.name()
                        : value instanceof CharSequence s ? s.toString()
                        : value instanceof Character c ? c.toString()
                        : null;
                yield text != null && isBlankPadded() ? stripTrailingBlanks(text) : text;
            }
            case OTHER -> value.toString();
        };
        if (result == null) {
            throw new IllegalArgumentException("Value " + value + " (" + value.getClass().getName()
                    + ") does not fit partition key type " + sqlName);
        }
        return result;
    }

    /**
     * Why PostgreSQL may store {@code value} as another value than the model reads it, or empty when it stores it as
     * is: a time or number the column rounds to its precision, a date or time of a legacy {@code java.util} or
     * {@code java.sql} type (the driver converts it through a time zone), a binary floating-point number.
     */
    public java.util.Optional<String> inexact(Object value) {
        String reason = switch (kind) {
            case DATE -> value instanceof Date || value instanceof java.util.Calendar ? legacy(value) : null;
            case TIMESTAMP, TIMESTAMPTZ -> value instanceof Date || value instanceof java.util.Calendar ? legacy(value)
                    : finerThanPrecision(value);
            case NUMERIC -> value instanceof Double || value instanceof Float
                    ? "a " + value.getClass().getSimpleName() + " is converted to " + sqlName + " by the server"
                    : value instanceof BigDecimal d ? finerThanScale(d) : null;
            case TEXT -> value instanceof CharSequence text ? longerThanLength(text.toString()) : null;
            default -> null;
        };
        return java.util.Optional.ofNullable(reason);
    }

    private String legacy(Object value) {
        return "a " + value.getClass().getName() + " reaches " + sqlName + " through a time zone of the driver's";
    }

    /** Nanoseconds in the smallest step of a time with as many fractional digits as the index (0 to 6). */
    private static final int[] NANOS_PER_STEP = {1_000_000_000, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000};

    private String finerThanPrecision(Object value) {
        int nanos = value instanceof LocalDateTime t ? t.getNano()
                : value instanceof Instant i ? i.getNano()
                : value instanceof OffsetDateTime t ? t.getNano()
                : value instanceof ZonedDateTime t ? t.getNano()
                : 0;
        if (nanos == 0) {
            return null;
        }
        int digits = typmodDigits("timestamp", 6);
        int step = NANOS_PER_STEP[Math.min(Math.max(digits, 0), 6)]; // a precision not known: whole seconds
        return nanos % step == 0 ? null
                : "the column " + sqlName + " rounds " + value + " to " + (digits < 0 ? "its precision" : digits + " fractional digits");
    }

    /**
     * A text longer than the column's {@code varchar(n)} or {@code char(n)} length: the server drops excess trailing
     * blanks on the way in (and then routes the shorter value) or refuses the value; either way it decides.
     */
    private String longerThanLength(String text) {
        int limit = lengthLimit();
        return text.codePointCount(0, text.length()) <= limit ? null
                : "the column " + sqlName + " keeps at most " + limit + " characters of '" + text + "'";
    }

    /** The {@code n} of {@code character varying(n)} or {@code character(n)}; no limit for any other type. */
    private int lengthLimit() {
        String lower = storedAs.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("character varying(") || lower.startsWith("character(")) {
            return Integer.parseInt(lower.substring(lower.indexOf('(') + 1, lower.indexOf(')')).trim());
        }
        return Integer.MAX_VALUE;
    }

    private String finerThanScale(BigDecimal value) {
        int scale = typmodDigits("numeric", Integer.MAX_VALUE);
        if (scale == Integer.MAX_VALUE) {
            return null;
        }
        return scale >= 0 && value.stripTrailingZeros().scale() <= scale ? null
                : "the column " + sqlName + " rounds " + value.toPlainString() + (scale < 0 ? "" : " to " + scale + " decimal digits");
    }

    /**
     * The last number of the type's modifier ({@code 3} of {@code timestamp(3) without time zone}, {@code 2} of
     * {@code numeric(10,2)}); {@code unmodified} when the type has the base name without a modifier; -1 when the
     * type is named otherwise (a domain), so that its modifier is unknown.
     */
    private int typmodDigits(String baseName, int unmodified) {
        if (!storedAs.regionMatches(true, 0, baseName, 0, baseName.length())) {
            return -1;
        }
        int open = storedAs.indexOf('(');
        if (open == -1) {
            return unmodified;
        }
        int close = storedAs.indexOf(')', open);
        String[] numbers = storedAs.substring(open + 1, close).split(",");
        return numbers.length == 1 && baseName.equals("numeric") ? 0 : Integer.parseInt(numbers[numbers.length - 1].trim());
    }

    /** Whether the type is a date or a timestamp, so that the current time is a value of it. */
    public boolean isTemporal() {
        return kind == ValueKind.DATE || kind == ValueKind.TIMESTAMP || kind == ValueKind.TIMESTAMPTZ;
    }

    /**
     * The instant as a value of this temporal type, in whole seconds so that no column precision rounds it: a
     * {@code LocalDate} or {@code LocalDateTime} as the clock in {@code zone} reads, an {@code Instant} for
     * {@code timestamptz}.
     *
     * @throws IllegalStateException when the type is not {@linkplain #isTemporal() temporal}
     */
    public Object valueAt(java.time.Instant instant, java.time.ZoneId zone) {
        return switch (kind) {
            case DATE -> java.time.LocalDate.ofInstant(instant, zone);
            case TIMESTAMP -> java.time.LocalDateTime.ofInstant(instant, zone).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            case TIMESTAMPTZ -> instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            default -> throw new IllegalStateException(sqlName + " holds no point in time");
        };
    }

    /** Whether values are stored as {@code character(n)}, whose comparisons and hashes ignore trailing blanks. */
    public boolean isBlankPadded() {
        return storedAs.equalsIgnoreCase("bpchar") || storedAs.equalsIgnoreCase("character")
                || storedAs.regionMatches(true, 0, "character(", 0, "character(".length());
    }

    /** Orders two canonical values of this type as PostgreSQL does. */
    public int compare(Object left, Object right) {
        return switch (kind) {
            case UUID -> compareUnsigned((java.util.UUID) left, (java.util.UUID) right);
            case ENUM -> Integer.compare(labelIndex((String) left), labelIndex((String) right));
            case TEXT, OTHER -> compareCodePoints(left.toString(), right.toString());
            default -> compareComparable(left, right);
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareComparable(Object left, Object right) {
        return ((Comparable) left).compareTo(right);
    }

    private static int compareUnsigned(java.util.UUID left, java.util.UUID right) {
        int high = Long.compareUnsigned(left.getMostSignificantBits(), right.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(left.getLeastSignificantBits(), right.getLeastSignificantBits());
    }

    private static int compareCodePoints(String left, String right) {
        int i = 0;
        int j = 0;
        while (i < left.length() && j < right.length()) {
            int a = left.codePointAt(i);
            int b = right.codePointAt(j);
            if (a != b) {
                return Integer.compare(a, b);
            }
            i += Character.charCount(a);
            j += Character.charCount(b);
        }
        return Integer.compare(left.length() - i, right.length() - j);
    }

    private int labelIndex(String label) {
        int index = enumLabels.indexOf(label);
        if (index < 0) {
            throw new IllegalArgumentException("'" + label + "' is not a label of enum type " + sqlName
                    + "; its labels are " + enumLabels);
        }
        return index;
    }

    private String requireLabel(String label) {
        if (!enumLabels.isEmpty()) {
            labelIndex(label);
        }
        return label;
    }

    private static String stripTrailingBlanks(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ' ') {
            end--;
        }
        return text.substring(0, end);
    }

    private static Boolean parseBoolean(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "t" -> Boolean.TRUE;
            case "false", "f" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not a boolean");
        };
    }

    private static Long integral(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger i) {
            return i.longValueExact();
        }
        if (value instanceof BigDecimal d) {
            return d.longValueExact();
        }
        return null;
    }

    @Override
    public String toString() {
        return sqlName;
    }
}
