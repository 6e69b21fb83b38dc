package io.pgpartition.validation;

import java.util.List;

/**
 * A unique constraint the mapping declares ({@code @Table(uniqueConstraints)}, {@code @Column(unique = true)}).
 *
 * @param name    its name, as the mapping gives or generates it
 * @param columns its columns
 */
public record MappedUnique(String name, List<String> columns) {

    public MappedUnique {
        columns = List.copyOf(columns);
    }
}
