package io.pgpartition.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The geometry of range bounds on a key: where a list of bounds leaves holes, where two bounds overlap, how far
 * contiguous bounds reach, and how much of a range they cover. One home for what the model, the reports and
 * maintenance ask of range partitions; routing one key is {@link RangeIndex}'s.
 *
 * <p>Every method takes the bounds ordered by their lower bound, and the order of key tuples
 * ({@link PartitionedTable#compareTuples}).
 */
public final class RangeGeometry {

    private RangeGeometry() {
    }

    /** How much of a range existing bounds cover. */
    public enum Coverage { NONE, PARTIAL, FULL }

    /**
     * Key values no bound holds, between two bounds.
     *
     * @param from   where the hole starts: the reach of the bounds before it (inclusive)
     * @param to     where it ends: the lower bound of the next bound (exclusive)
     * @param before the index of the bound that reaches {@code from}
     * @param after  the index of the bound that starts at {@code to}
     */
    public record Hole(List<RangeValue> from, List<RangeValue> to, int before, int after) {
    }

    /** Two bounds that share key values, by index ({@code first < second}). */
    public record Overlap(int first, int second) {
    }

    /** The holes between the bounds, in key order; none before the first or after the last. */
    public static List<Hole> holes(List<RangeBound> ordered, Comparator<List<RangeValue>> order) {
        List<Hole> holes = new ArrayList<>();
        int reach = -1;
        for (int i = 0; i < ordered.size(); i++) {
            RangeBound bound = ordered.get(i);
            if (reach >= 0) {
                List<RangeValue> reachedTo = ordered.get(reach).to();
                if (order.compare(reachedTo, bound.from()) < 0) {
                    holes.add(new Hole(reachedTo, bound.from(), reach, i));
                }
            }
            if (reach < 0 || order.compare(bound.to(), ordered.get(reach).to()) > 0) {
                reach = i;
            }
        }
        return holes;
    }

    /** The pairs of bounds that overlap, in key order (PostgreSQL refuses them; only a damaged layout has any). */
    public static List<Overlap> overlaps(List<RangeBound> ordered, Comparator<List<RangeValue>> order) {
        List<Overlap> overlaps = new ArrayList<>();
        for (java.util.ListIterator<RangeBound> bounds = ordered.listIterator(); bounds.hasNext(); ) {
            int i = bounds.nextIndex();
            RangeBound bound = bounds.next();
            for (int j = i + 1; j < ordered.size(); j++) {
                if (order.compare(ordered.get(j).from(), bound.to()) >= 0) {
                    break;
                }
                overlaps.add(new Overlap(i, j));
            }
        }
        return overlaps;
    }

    /**
     * How far the bounds reach from {@code start} without a hole: the upper bound of the last bound in the unbroken run
     * through {@code start}, looking at the bounds from index {@code first} on and stopping at the first that starts at
     * or after {@code stop} (none when {@code stop} is null). {@code start} itself when no bound holds it.
     */
    public static List<RangeValue> reach(List<RangeBound> ordered, Comparator<List<RangeValue>> order, List<RangeValue> start,
                                         int first, List<RangeValue> stop) {
        List<RangeValue> reach = start;
        for (int i = first; i < ordered.size(); i++) {
            RangeBound bound = ordered.get(i);
            if (stop != null && order.compare(bound.from(), stop) >= 0) {
                break;
            }
            if (order.compare(bound.from(), reach) <= 0) {
                reach = java.util.Collections.max(List.of(reach, bound.to()), order);
            }
        }
        return reach;
    }

    /** How much of {@code range} the bounds cover. */
    public static Coverage coverage(List<RangeBound> ordered, Comparator<List<RangeValue>> order, RangeBound range) {
        int first = firstEndingAfter(ordered, order, range.from());
        if (first == ordered.size() || order.compare(ordered.get(first).from(), range.to()) >= 0) {
            return Coverage.NONE;
        }
        List<RangeValue> reach = reach(ordered, order, range.from(), first, range.to());
        return order.compare(reach, range.to()) >= 0 ? Coverage.FULL : Coverage.PARTIAL;
    }

    /** The bounds that share key values with {@code range}. */
    public static List<Integer> overlapping(List<RangeBound> ordered, Comparator<List<RangeValue>> order, RangeBound range) {
        List<Integer> overlapping = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            if (order.compare(ordered.get(i).to(), range.from()) > 0 && order.compare(ordered.get(i).from(), range.to()) < 0) {
                overlapping.add(i);
            }
        }
        return overlapping;
    }

    /**
     * The index of the first bound that ends after {@code value}, by binary search: bounds that do not overlap have
     * their upper bounds in order too.
     */
    public static int firstEndingAfter(List<RangeBound> ordered, Comparator<List<RangeValue>> order, List<RangeValue> value) {
        int low = 0;
        int high = ordered.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (order.compare(ordered.get(middle).to(), value) <= 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}
