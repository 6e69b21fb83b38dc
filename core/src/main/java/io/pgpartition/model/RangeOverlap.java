package io.pgpartition.model;

/**
 * Two range partitions whose bounds share key values. PostgreSQL never lets this happen in a table; it shows up in
 * planned layouts and hand-built models.
 */
public record RangeOverlap(Partition first, Partition second) {
}
