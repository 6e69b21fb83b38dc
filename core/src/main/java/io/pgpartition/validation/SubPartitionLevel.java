package io.pgpartition.validation;

import io.pgpartition.model.PartitionStrategy;

import java.util.List;
import java.util.Optional;

/**
 * One level of sub-partitioning an entity declares with {@code @SubPartitionedBy}.
 *
 * @param depth         1 for the partitions of the table, 2 for theirs, and so on
 * @param strategy      its strategy, or null when the annotation sets none or several of range, list and hash
 * @param keyAttributes its key attributes in the annotation's order
 */
public record SubPartitionLevel(int depth, PartitionStrategy strategy, List<KeyAttribute> keyAttributes) {

    public SubPartitionLevel {
        keyAttributes = List.copyOf(keyAttributes);
    }

    /** The key columns in order, when every key attribute resolved. */
    public List<String> keyColumns() {
        return keyAttributes.stream().flatMap(k -> k.columns().stream()).toList();
    }

    /** The annotation as written, for messages. */
    public String annotation() {
        return "@SubPartitionedBy(" + Optional.ofNullable(strategy).map(s -> s.name().toLowerCase(java.util.Locale.ROOT)).orElse("?")
                + " = " + (keyAttributes.size() == 1 ? "\"" + keyAttributes.get(0).attribute() + "\""
                : "{" + String.join(", ", keyAttributes.stream().map(k -> "\"" + k.attribute() + "\"").toList()) + "}") + ")";
    }
}
