package io.pgpartition.model;

/**
 * The families of PostgreSQL types pgpartition understands as partition key values, with the Java type each maps to.
 */
public enum ValueKind {
    /** {@code date} as {@link java.time.LocalDate}. */
    DATE,
    /** {@code timestamp without time zone} as {@link java.time.LocalDateTime}. */
    TIMESTAMP,
    /** {@code timestamp with time zone} as {@link java.time.Instant}. */
    TIMESTAMPTZ,
    /** {@code smallint}, {@code integer}, {@code bigint} as {@link Long}. */
    INTEGER,
    /** {@code numeric} as {@link java.math.BigDecimal}. */
    NUMERIC,
    /** {@code text}, {@code varchar}, {@code char} as {@link String}. */
    TEXT,
    /** {@code uuid} as {@link java.util.UUID}. */
    UUID,
    /** A PostgreSQL enum type, its label as {@link String}, ordered by the enum's declared order. */
    ENUM,
    /** {@code boolean} as {@link Boolean}. */
    BOOLEAN,
    /** Any other type: the value kept as PostgreSQL's text form. */
    OTHER
}
