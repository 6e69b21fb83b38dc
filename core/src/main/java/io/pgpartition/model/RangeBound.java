package io.pgpartition.model;

import java.util.List;

/**
 * {@code FOR VALUES FROM (from) TO (to)}: lower bound inclusive, upper bound exclusive, one value per key column,
 * compared column by column as PostgreSQL does.
 */
public record RangeBound(List<RangeValue> from, List<RangeValue> to) implements PartitionBound {

    public RangeBound {
        from = List.copyOf(from);
        to = List.copyOf(to);
        if (from.isEmpty() || from.size() != to.size()) {
            throw new IllegalArgumentException("A range bound needs the same non-zero number of FROM and TO values; got "
                    + from + " and " + to);
        }
    }

    /** A single-column range {@code [from, to)}. */
    public static RangeBound of(Object from, Object to) {
        return new RangeBound(List.of(RangeValue.of(from)), List.of(RangeValue.of(to)));
    }

    /** A single-column range, with either end possibly MINVALUE/MAXVALUE. */
    public static RangeBound of(RangeValue from, RangeValue to) {
        return new RangeBound(List.of(from), List.of(to));
    }

    @Override
    public String toString() {
        return "FROM " + from + " TO " + to;
    }
}
