package io.pgpartition.model;

import java.util.Objects;

/**
 * One column's value in a range bound: a value, or PostgreSQL's {@code MINVALUE} / {@code MAXVALUE}.
 *
 * @param kind  minimum, a value, or maximum
 * @param value the canonical Java value when {@code kind} is {@link Kind#VALUE}, otherwise {@code null}
 */
public record RangeValue(Kind kind, Object value) {

    /** Whether a range bound column is unbounded below, a value, or unbounded above. */
    public enum Kind { MINVALUE, VALUE, MAXVALUE }

    public static final RangeValue MINVALUE = new RangeValue(Kind.MINVALUE, null);
    public static final RangeValue MAXVALUE = new RangeValue(Kind.MAXVALUE, null);

    public RangeValue {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.VALUE) != (value != null)) {
            throw new IllegalArgumentException("A range bound VALUE needs a non-null value; MINVALUE and MAXVALUE take none");
        }
    }

    public static RangeValue of(Object value) {
        return new RangeValue(Kind.VALUE, Objects.requireNonNull(value, "value"));
    }

    public boolean isValue() {
        return kind == Kind.VALUE;
    }

    /** Orders two bound values of the same column: MINVALUE below every value, MAXVALUE above. */
    int compareTo(RangeValue other, ColumnType type) {
        if (kind != Kind.VALUE || other.kind != Kind.VALUE) {
            return Integer.compare(kind.ordinal(), other.kind.ordinal());
        }
        return type.compare(value, other.value);
    }

    @Override
    public String toString() {
        return kind == Kind.VALUE ? String.valueOf(value) : kind.name();
    }
}
