package io.pgpartition.policy;

import java.util.List;
import java.util.Objects;

/**
 * One declared list partition: its name (already resolved from any naming tokens) and the values it holds as text.
 */
public record ListPartitionSpec(String name, List<String> values) {

    public ListPartitionSpec {
        Objects.requireNonNull(name, "name");
        values = List.copyOf(values);
    }
}
