package io.pgpartition.model;

import java.util.List;

/**
 * Key values between two range partitions that no partition covers: from {@code from} (inclusive) to {@code to}
 * (exclusive).
 *
 * @param from   the upper bound of the partition before the gap
 * @param to     the lower bound of the partition after the gap
 * @param before the partition that ends where the gap starts
 * @param after  the partition that starts where the gap ends
 */
public record RangeGap(List<RangeValue> from, List<RangeValue> to, TableName before, TableName after) {

    public RangeGap {
        from = List.copyOf(from);
        to = List.copyOf(to);
    }
}
