package io.pgpartition.annotations;

/**
 * What retention does with a partition whose range has passed out of the retention window.
 */
public enum Expiry {
    /** Detach it from the parent and keep it as a plain table. */
    DETACH,
    /** Detach it and drop it. */
    DROP,
    /** Detach it and move it into an archive schema. */
    ARCHIVE,
    /**
     * Keep it attached and rewrite it to Citus' {@code columnar} access method (compressed, for reading: UPDATE and
     * DELETE of its rows fail afterwards), once. Needs the {@code citus_columnar} extension; a table with foreign keys or
     * {@code AFTER ROW} triggers, which columnar tables cannot have, is reported and left as it is.
     */
    COLUMNAR
}
