package io.pgpartition.ddl.internal;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.internal.PgText;
import io.pgpartition.model.TableName;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.UUID;

/**
 * The one place where names and values become SQL text. Every identifier pgpartition writes into SQL goes through
 * {@link #identifier(String)}; every value through {@link #literal(Object)}.
 */
public final class Sql {

    /** PostgreSQL keeps at most this many bytes of a name (NAMEDATALEN - 1) and silently truncates longer ones. */
    public static final int MAX_IDENTIFIER_BYTES = 63;

    private Sql() {
    }

    /**
     * Quotes an identifier: always in double quotes, inner double quotes doubled, so the name is taken exactly as
     * given (case, spaces, punctuation and all).
     *
     * @throws PartitioningException {@link ErrorCode#IDENTIFIER_INVALID} for an empty name, a NUL character, or a
     *         name over 63 bytes in UTF-8, which PostgreSQL would silently truncate
     */
    public static String identifier(String name) {
        checkIdentifier(name);
        return name.indexOf('"') < 0 ? '"' + name + '"' : '"' + name.replace("\"", "\"\"") + '"';
    }

    /**
     * Checks that a name can be used as an identifier, without quoting it.
     *
     * @throws PartitioningException as {@link #identifier(String)} does
     */
    public static void checkIdentifier(String name) {
        if (name == null || name.isEmpty()) {
            throw new PartitioningException(ErrorCode.IDENTIFIER_INVALID,
                    "An empty name cannot be used as a PostgreSQL identifier. Give the table, partition or schema a name.");
        }
        if (name.indexOf('\0') >= 0) {
            throw new PartitioningException(ErrorCode.IDENTIFIER_INVALID,
                    "Name \"" + name.replace("\0", "\\0") + "\" contains a NUL character, which PostgreSQL identifiers cannot hold. Remove it.");
        }
        if (name.length() * 3 <= MAX_IDENTIFIER_BYTES) {
            return; // a UTF-16 char is at most three bytes in UTF-8 (a surrogate pair, two chars, is four)
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_IDENTIFIER_BYTES) {
            throw new PartitioningException(ErrorCode.IDENTIFIER_INVALID,
                    "Name \"" + name + "\" is " + bytes + " bytes long in UTF-8; PostgreSQL keeps at most "
                            + MAX_IDENTIFIER_BYTES + " bytes and would silently truncate it. Choose a shorter table name or naming pattern.");
        }
    }

    /** A table name, schema-qualified when the schema is known, each part through {@link #identifier(String)}. */
    public static String table(TableName table) {
        return table.isQualified()
                ? identifier(table.schema()) + "." + identifier(table.name())
                : identifier(table.name());
    }

    /**
     * Renders a value as a SQL literal: {@code NULL}; numbers as digits; booleans as {@code TRUE}/{@code FALSE};
     * everything else as a quoted string with quotes doubled, in the {@code E'...'} form with backslashes doubled when
     * the text holds a backslash, so the result means the same whatever {@code standard_conforming_strings} is.
     * Dates and times use PostgreSQL's ISO text ({@code infinity} for the java.time MIN/MAX values).
     *
     * @throws PartitioningException {@link ErrorCode#LITERAL_INVALID} for text holding a NUL character (PostgreSQL
     *         text cannot), a non-finite floating-point number, or a value of an unsupported class
     */
    public static String literal(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Boolean b) {
            return b ? "TRUE" : "FALSE";
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new PartitioningException(ErrorCode.LITERAL_INVALID,
                        "Value " + value + " has no exact SQL literal. Use a finite number or BigDecimal.");
            }
            return BigDecimal.valueOf(d).toPlainString();
        }
        return quoted(text(value));
    }

    private static String text(Object value) {
        if (value instanceof CharSequence || value instanceof Character || value instanceof UUID) {
            return value.toString();
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value instanceof LocalDate d) {
            return PgText.formatDate(d);
        }
        if (value instanceof LocalDateTime t) {
            return PgText.formatTimestamp(t);
        }
        if (value instanceof Instant i) {
            return PgText.formatTimestampTz(i);
        }
        if (value instanceof OffsetDateTime t) {
            return PgText.formatTimestampTz(t.toInstant());
        }
        if (value instanceof ZonedDateTime t) {
            return PgText.formatTimestampTz(t.toInstant());
        }
        throw new PartitioningException(ErrorCode.LITERAL_INVALID,
                "Cannot render a " + value.getClass().getName() + " as a SQL literal: " + value
                        + ". Pass text, a number, a boolean, a UUID or a java.time date/time.");
    }

    private static String quoted(String text) {
        if (text.indexOf('\0') >= 0) {
            throw new PartitioningException(ErrorCode.LITERAL_INVALID,
                    "Text '" + text.replace("\0", "\\0") + "' contains a NUL character, which PostgreSQL text cannot hold. Remove it.");
        }
        String body = text.replace("'", "''");
        if (body.indexOf('\\') >= 0) {
            return "E'" + body.replace("\\", "\\\\") + "'";
        }
        return "'" + body + "'";
    }
}
