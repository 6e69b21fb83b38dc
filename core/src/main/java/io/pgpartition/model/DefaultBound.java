package io.pgpartition.model;

/**
 * {@code DEFAULT}: the partition that holds every row no other partition accepts.
 */
public record DefaultBound() implements PartitionBound {

    public static final DefaultBound INSTANCE = new DefaultBound();

    @Override
    public String toString() {
        return "DEFAULT";
    }
}
