package io.pgpartition.model;

import java.util.List;
import java.util.Optional;

/**
 * Finds the partition of a single-column RANGE key by binary search over the partitions' lower bounds: for routing
 * many keys against tables with many partitions. Built once from a complete layout.
 */
public final class RangeIndex {

    private final PartitionedTable table;
    private final ColumnType type;
    private final List<Partition> ordered;
    private final RangeValue[] from;
    private final RangeValue[] to;
    /** The answer for each partition of {@link #ordered}, built once: routing a key allocates nothing. */
    private final KeyRoute.Routed[] routes;
    /** The answer for a key no partition's range holds: the default partition, else none. */
    private final KeyRoute outside;
    /**
     * The position of the partition the last routed key fell in, tried first: consecutive rows of a batch mostly share
     * a partition. Unsynchronized on purpose: every position is a valid guess, and a guess is always checked.
     */
    private int lastHit;
    /** How many keys the last hit did not answer, so that a binary search ran: for tests. Unsynchronized like {@link #lastHit}. */
    private int searches;

    private RangeIndex(PartitionedTable table) {
        this.table = table;
        this.type = table.key().parts().get(0).type();
        this.ordered = table.orderedPartitions();
        this.from = ordered.stream().map(p -> ((RangeBound) p.bound()).from().get(0)).toArray(RangeValue[]::new);
        this.to = ordered.stream().map(p -> ((RangeBound) p.bound()).to().get(0)).toArray(RangeValue[]::new);
        this.routes = ordered.stream().map(KeyRoute.Routed::new).toArray(KeyRoute.Routed[]::new);
        this.outside = table.defaultPartition().<KeyRoute>map(KeyRoute.Routed::new).orElseGet(KeyRoute.NoPartition::new);
    }

    /** An index of a complete, single-column RANGE table whose key the model orders as PostgreSQL does; empty for other tables. */
    public static Optional<RangeIndex> of(PartitionedTable table) {
        boolean indexable = table.strategy() == PartitionStrategy.RANGE && table.key().size() == 1 && table.isComplete()
                && table.unmodelled().isEmpty();
        return indexable ? Optional.of(new RangeIndex(table)) : Optional.empty();
    }

    public PartitionedTable table() {
        return table;
    }

    /** The partition holding the value, else the default partition, else none: what {@link PartitionedTable#partitionFor(Object)} answers. */
    public Optional<Partition> partitionFor(Object value) {
        return route(value).partition(table.name() + " holds " + value);
    }

    /** What {@link PartitionedTable#route(List)} answers for a one-value key, by binary search. */
    public KeyRoute route(Object value) {
        Optional<String> inexact = value == null ? Optional.empty() : type.inexact(value);
        if (inexact.isPresent()) {
            return new KeyRoute.AskServer(inexact.get());
        }
        Object key = type.coerce(value);
        if (key == null) {
            return outside;
        }
        int guess = lastHit;
        if (guess < from.length && compare(from[guess], key) <= 0 && compare(to[guess], key) > 0) {
            return routes[guess];
        }
        searches++;
        int low = 0;
        int high = from.length - 1;
        int candidate = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (compare(from[middle], key) <= 0) {
                candidate = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        if (candidate >= 0 && compare(to[candidate], key) > 0) {
            lastHit = candidate;
            return routes[candidate];
        }
        return outside;
    }

    /** The position of the partition the last key routed to a partition fell in (0 before any), for tests. */
    int lastHit() {
        return lastHit;
    }

    /** How many keys needed a binary search, for tests. */
    int searches() {
        return searches;
    }

    /** Orders a bound against a key value: MINVALUE below, MAXVALUE above every value. */
    private int compare(RangeValue bound, Object key) {
        return switch (bound.kind()) {
            case MINVALUE -> -1;
            case MAXVALUE -> 1;
            case VALUE -> type.compare(bound.value(), key);
        };
    }
}
