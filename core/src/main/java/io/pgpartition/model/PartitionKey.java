package io.pgpartition.model;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A table's partition key: its strategy and the columns or expressions it is made of, in order.
 */
public record PartitionKey(PartitionStrategy strategy, List<KeyPart> parts) {

    public PartitionKey {
        Objects.requireNonNull(strategy, "strategy");
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("A partition key has at least one part");
        }
        if (strategy == PartitionStrategy.LIST && parts.size() != 1) {
            throw new IllegalArgumentException("A LIST partition key has exactly one part; got " + parts);
        }
    }

    public static PartitionKey of(PartitionStrategy strategy, KeyPart... parts) {
        return new PartitionKey(strategy, List.of(parts));
    }

    /** Column names in key order; an expression part appears as its text in parentheses. */
    public List<String> columns() {
        return parts.stream().map(KeyPart::toString).toList();
    }

    public boolean hasExpressions() {
        return parts.stream().anyMatch(KeyPart::isExpression);
    }

    public int size() {
        return parts.size();
    }

    /** As in {@code PARTITION BY RANGE (created_at)}. */
    @Override
    public String toString() {
        return strategy + " (" + parts.stream().map(KeyPart::toString).collect(Collectors.joining(", ")) + ")";
    }
}
