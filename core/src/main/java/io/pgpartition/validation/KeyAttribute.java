package io.pgpartition.validation;

import java.util.List;

/**
 * A partition key attribute as the entity maps it.
 *
 * @param attribute the attribute name written in {@code @PartitionedBy}
 * @param columns   the columns it maps to, as PostgreSQL names them; empty when the name is no basic persistent
 *                  attribute of the entity
 * @param optional  whether the mapping lets the attribute be null
 * @param javaType  the attribute's Java type, or {@code null} when unresolved
 */
public record KeyAttribute(String attribute, List<String> columns, boolean optional, Class<?> javaType) {

    public KeyAttribute {
        columns = List.copyOf(columns);
    }

    /** An attribute name that names no basic persistent attribute. */
    public static KeyAttribute unknown(String attribute) {
        return new KeyAttribute(attribute, List.of(), true, null);
    }

    public boolean resolved() {
        return !columns.isEmpty();
    }
}
