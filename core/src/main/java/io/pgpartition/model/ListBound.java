package io.pgpartition.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code FOR VALUES IN (...)}: the key values a list partition holds; {@code null} stands for SQL {@code NULL}.
 */
public record ListBound(List<Object> values) implements PartitionBound {

    public ListBound {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("A list bound needs at least one value");
        }
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    public static ListBound of(Object... values) {
        return new ListBound(java.util.Arrays.asList(values));
    }

    /** Whether the partition holds rows whose key is NULL. */
    public boolean containsNull() {
        return values.contains(null);
    }

    @Override
    public String toString() {
        return "IN " + values;
    }
}
