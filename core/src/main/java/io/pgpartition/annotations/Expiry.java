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
    ARCHIVE
}
