package io.pgpartition.model;

import io.pgpartition.internal.PgHash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A partitioned table as PostgreSQL sees it: its key and its partitions with their bounds. Answers which partition
 * holds a key, which key ranges no partition covers, and how far ahead contiguous range partitions reach.
 *
 * <p>A layout read with a focus (see {@link io.pgpartition.catalog.CatalogReader}) lists only some partitions:
 * {@code partitionCount} still counts them all, and the questions that need every partition refuse to answer.
 *
 * @param name           the table
 * @param key            its partition key
 * @param partitions     its partitions, all of them unless the layout was read with a focus
 * @param partitionCount how many partitions the table has
 */
public record PartitionedTable(TableName name, PartitionKey key, List<Partition> partitions, int partitionCount) {

    /** A table with all its partitions. */
    public PartitionedTable(TableName name, PartitionKey key, List<Partition> partitions) {
        this(name, key, partitions, partitions.size());
    }

    public PartitionedTable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        partitions = List.copyOf(partitions);
        if (partitionCount < partitions.size()) {
            throw new IllegalArgumentException("Table " + name + " lists " + partitions.size() + " partitions but counts "
                    + partitionCount);
        }
        long defaults = partitions.stream().filter(Partition::isDefault).count();
        if (defaults > 1) {
            throw new IllegalArgumentException("Table " + name + " has " + defaults + " default partitions; at most one is possible");
        }
        for (Partition partition : partitions) {
            checkBoundFits(name, key, partition);
        }
    }

    public PartitionStrategy strategy() {
        return key.strategy();
    }

    /**
     * The type of the key when the table is partitioned by RANGE on one date or timestamp column, so that the current
     * time is a key value (see {@link ColumnType#valueAt}); empty otherwise.
     */
    public Optional<ColumnType> timeKey() {
        if (strategy() != PartitionStrategy.RANGE || key.size() != 1 || key.hasExpressions()) {
            return Optional.empty();
        }
        ColumnType type = key.parts().get(0).type();
        return type.isTemporal() ? Optional.of(type) : Optional.empty();
    }

    /** Whether every partition of the table is listed. */
    public boolean isComplete() {
        return partitionCount == partitions.size();
    }

    private void requireComplete(String question) {
        if (!isComplete()) {
            throw new IllegalStateException(question + " needs every partition of " + name + ", but this layout lists "
                    + partitions.size() + " of " + partitionCount + "; read the table without a focus");
        }
    }

    /** The default partition, if the table has one. */
    public Optional<Partition> defaultPartition() {
        return partitions.stream().filter(Partition::isDefault).findFirst();
    }

    /** Finds a partition by name. */
    public Optional<Partition> partition(String partitionName) {
        return partitions.stream().filter(p -> p.name().name().equals(partitionName)).findFirst();
    }

    /**
     * The partition that holds a single-column key value, as PostgreSQL would route it: the partition whose bound
     * accepts it, else the default partition, else none.
     *
     * @param value an application value of the key column's type (coerced, so {@code Integer} fits a bigint key)
     * @throws IllegalArgumentException where the model cannot compute the server's answer (see {@link #route(List)})
     */
    public Optional<Partition> partitionFor(Object value) {
        return partitionFor(Arrays.asList(value));
    }

    /**
     * The partition that holds a key, one value per key part.
     *
     * @throws IllegalArgumentException where the model cannot compute the server's answer (see {@link #route(List)}),
     *         naming why
     */
    public Optional<Partition> partitionFor(List<?> keyValues) {
        return route(keyValues).partition(name + " holds " + keyValues);
    }

    /**
     * Where a key goes, one value per key part: the partition whose bound accepts it, else the default partition,
     * else none; or {@link KeyRoute.AskServer} where the model does not compute exactly what PostgreSQL computes
     * (see {@link KeyPart#unmodelled} and {@link ColumnType#inexact}).
     *
     * <p>For a HASH table the key is hashed as PostgreSQL does with each type's default hash operator class (see
     * {@link PgHash}): integer, date, timestamp, timestamptz, text, uuid and boolean keys on a little-endian server
     * with UTF-8 encoding.
     *
     * @throws IllegalArgumentException when a value does not fit its key part's type at all
     */
    public KeyRoute route(List<?> keyValues) {
        Optional<String> unmodelled = unmodelled();
        if (unmodelled.isPresent()) {
            return new KeyRoute.AskServer(unmodelled.get());
        }
        checkArity(keyValues);
        for (int i = 0; i < keyValues.size(); i++) {
            Object value = keyValues.get(i);
            Optional<String> inexact = value == null ? Optional.empty() : key.parts().get(i).type().inexact(value);
            if (inexact.isPresent()) {
                return new KeyRoute.AskServer(inexact.get());
            }
        }
        List<Object> values = coerce(keyValues);
        Optional<Partition> match = switch (strategy()) {
            case RANGE -> values.contains(null) ? Optional.empty()
                    : leaves().filter(p -> rangeAccepts((RangeBound) p.bound(), values)).findFirst();
            case LIST -> leaves().filter(p -> listAccepts((ListBound) p.bound(), values.get(0))).findFirst();
            case HASH -> hashPartition(values);
        };
        if (match.isEmpty() && defaultPartition().isEmpty()) {
            requireComplete("Finding no partition for a key");
        }
        return match.or(this::defaultPartition).<KeyRoute>map(KeyRoute.Routed::new).orElseGet(KeyRoute.NoPartition::new);
    }

    /** Why the model cannot route keys of this table whatever their values, or empty when it can. */
    public Optional<String> unmodelled() {
        for (KeyPart part : key.parts()) {
            Optional<String> reason = part.unmodelled(strategy());
            if (reason.isPresent()) {
                return reason;
            }
        }
        return Optional.empty();
    }

    private Optional<Partition> hashPartition(List<Object> values) {
        List<ColumnType> types = key.parts().stream().map(KeyPart::type).toList();
        int modulus = leaves().mapToInt(p -> ((HashBound) p.bound()).modulus()).max().orElse(0);
        if (modulus == 0) {
            return Optional.empty();
        }
        long remainder = Long.remainderUnsigned(PgHash.rowHash(values, types), modulus);
        return leaves().filter(p -> remainder % ((HashBound) p.bound()).modulus() == ((HashBound) p.bound()).remainder())
                .findFirst();
    }

    /**
     * The partitions whose bounds lie nearest to a key no partition holds, for messages: for RANGE the partition
     * ending at or before the key and the one starting after it; for LIST up to {@code max} partitions; none for HASH.
     */
    public List<Partition> nearestPartitions(List<?> keyValues, int max) {
        requireComplete("Finding the nearest partitions");
        if (strategy() == PartitionStrategy.LIST) {
            return leaves().limit(max).toList();
        }
        if (strategy() != PartitionStrategy.RANGE) {
            return List.of();
        }
        List<Object> values = coerce(keyValues);
        if (values.contains(null)) {
            return List.of();
        }
        Partition before = null;
        Partition after = null;
        for (Partition partition : orderedPartitions()) {
            RangeBound bound = (RangeBound) partition.bound();
            if (compareKeyToBound(values, bound.to()) >= 0) {
                before = partition;
            } else if (after == null && compareKeyToBound(values, bound.from()) < 0) {
                after = partition;
            }
        }
        List<Partition> nearest = new ArrayList<>();
        if (before != null) {
            nearest.add(before);
        }
        if (after != null && nearest.size() < max) {
            nearest.add(after);
        }
        return nearest;
    }

    /**
     * Whether some partition (or the default) accepts the key. Works for every strategy and key type; where the model
     * cannot compute the server's answer ({@link KeyRoute.AskServer}) the key counts as accepted, so that nothing
     * PostgreSQL would take is ever reported as refused.
     */
    public boolean accepts(List<?> keyValues) {
        if (strategy() == PartitionStrategy.HASH) {
            requireComplete("Whether every hash remainder has a partition");
            return defaultPartition().isPresent() || (!partitions.isEmpty() && missingRemainders().isEmpty());
        }
        return !(route(keyValues) instanceof KeyRoute.NoPartition);
    }

    /** Whether some partition (or the default) accepts a single-column key value. */
    public boolean accepts(Object value) {
        return accepts(Arrays.asList(value));
    }

    /** The partitions other than the default, ordered by their lower bound for RANGE, as stored otherwise. */
    public List<Partition> orderedPartitions() {
        requireComplete("Ordering the partitions");
        List<Partition> ordered = new ArrayList<>(leaves().toList());
        if (strategy() == PartitionStrategy.RANGE) {
            ordered.sort(Comparator.comparing((Partition p) -> ((RangeBound) p.bound()).from(), this::compareTuples));
        } else if (strategy() == PartitionStrategy.HASH) {
            ordered.sort(Comparator.comparingInt((Partition p) -> ((HashBound) p.bound()).modulus())
                    .thenComparingInt(p -> ((HashBound) p.bound()).remainder()));
        }
        return ordered;
    }

    /** Key ranges between two RANGE partitions that no partition covers, in key order. Empty for other strategies. */
    public List<RangeGap> gaps() {
        requireComplete("Finding gaps");
        if (strategy() != PartitionStrategy.RANGE) {
            return List.of();
        }
        List<Partition> ordered = orderedPartitions();
        return RangeGeometry.holes(rangeBounds(ordered), this::compareTuples).stream()
                .map(hole -> new RangeGap(hole.from(), hole.to(), ordered.get(hole.before()).name(), ordered.get(hole.after()).name()))
                .toList();
    }

    /** Pairs of RANGE partitions whose bounds overlap. Empty for other strategies. */
    public List<RangeOverlap> overlaps() {
        requireComplete("Finding overlaps");
        if (strategy() != PartitionStrategy.RANGE) {
            return List.of();
        }
        List<Partition> ordered = orderedPartitions();
        return RangeGeometry.overlaps(rangeBounds(ordered), this::compareTuples).stream()
                .map(overlap -> new RangeOverlap(ordered.get(overlap.first()), ordered.get(overlap.second())))
                .toList();
    }

    /** The bounds of RANGE partitions, in the partitions' order. */
    public static List<RangeBound> rangeBounds(List<Partition> partitions) {
        return partitions.stream().map(partition -> (RangeBound) partition.bound()).toList();
    }

    /**
     * How far contiguous RANGE partitions reach from a single-column key value: the exclusive upper bound of the
     * last partition in the unbroken run that starts with the partition holding {@code from}. The default partition
     * does not count. Empty when no partition holds {@code from}.
     */
    public Optional<RangeValue> coveredUntil(Object from) {
        requireComplete("The coverage horizon");
        if (strategy() != PartitionStrategy.RANGE || key.size() != 1) {
            throw new IllegalArgumentException("coveredUntil answers for single-column RANGE keys; " + name
                    + " is partitioned by " + key);
        }
        List<Object> start = coerce(Arrays.asList(from));
        Optional<Partition> holding = leaves().filter(p -> rangeAccepts((RangeBound) p.bound(), start)).findFirst();
        if (holding.isEmpty()) {
            return Optional.empty();
        }
        List<RangeValue> reach = RangeGeometry.reach(rangeBounds(orderedPartitions()), this::compareTuples,
                ((RangeBound) holding.get().bound()).to(), 0, null);
        return Optional.of(reach.get(0));
    }

    /**
     * For a HASH table, the remainders of the largest modulus that no partition covers, each as the bound a new
     * partition would need. Empty for other strategies and for a complete hash table.
     */
    public List<HashBound> missingRemainders() {
        requireComplete("Finding missing remainders");
        if (strategy() != PartitionStrategy.HASH) {
            return List.of();
        }
        int modulus = leaves().mapToInt(p -> ((HashBound) p.bound()).modulus()).max().orElse(0);
        if (modulus == 0) {
            return List.of();
        }
        boolean[] covered = new boolean[modulus];
        leaves().map(p -> (HashBound) p.bound()).forEach(bound -> {
            for (int r = bound.remainder(); r < modulus; r += bound.modulus()) {
                covered[r] = true;
            }
        });
        List<HashBound> missing = new ArrayList<>();
        for (int r = 0; r < modulus; r++) {
            if (!covered[r]) {
                missing.add(new HashBound(modulus, r));
            }
        }
        return missing;
    }

    /** Orders two range bound tuples of this table's key column by column. */
    public int compareTuples(List<RangeValue> left, List<RangeValue> right) {
        for (int i = 0; i < key.size(); i++) {
            int c = left.get(i).compareTo(right.get(i), key.parts().get(i).type());
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private java.util.stream.Stream<Partition> leaves() {
        return partitions.stream().filter(p -> !p.isDefault());
    }

    private void checkArity(List<?> keyValues) {
        if (keyValues.size() != key.size()) {
            throw new IllegalArgumentException("Table " + name + " is partitioned by " + key + ": a key has "
                    + key.size() + " value(s), got " + keyValues.size());
        }
    }

    private List<Object> coerce(List<?> keyValues) {
        checkArity(keyValues);
        List<Object> values = new ArrayList<>(keyValues.size());
        for (int i = 0; i < keyValues.size(); i++) {
            values.add(key.parts().get(i).type().coerce(keyValues.get(i)));
        }
        return values;
    }

    private boolean rangeAccepts(RangeBound bound, List<Object> values) {
        return compareKeyToBound(values, bound.from()) >= 0 && compareKeyToBound(values, bound.to()) < 0;
    }

    private int compareKeyToBound(List<Object> values, List<RangeValue> bound) {
        for (int i = 0; i < values.size(); i++) {
            RangeValue limit = bound.get(i);
            if (!limit.isValue()) {
                return limit.kind() == RangeValue.Kind.MINVALUE ? 1 : -1;
            }
            int c = key.parts().get(i).type().compare(values.get(i), limit.value());
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private boolean listAccepts(ListBound bound, Object value) {
        ColumnType type = key.parts().get(0).type();
        for (Object candidate : bound.values()) {
            if (value == null ? candidate == null : candidate != null && type.compare(value, candidate) == 0) {
                return true;
            }
        }
        return false;
    }

    private static void checkBoundFits(TableName table, PartitionKey key, Partition partition) {
        PartitionBound bound = partition.bound();
        boolean fits = switch (key.strategy()) {
            case RANGE -> bound instanceof DefaultBound
                    || bound instanceof RangeBound range && range.from().size() == key.size();
            case LIST -> bound instanceof DefaultBound || bound instanceof ListBound;
            case HASH -> bound instanceof HashBound;
        };
        if (!fits) {
            throw new IllegalArgumentException("Partition " + partition.name() + " of " + table + " has bound " + bound
                    + ", which does not fit key " + key);
        }
    }
}
