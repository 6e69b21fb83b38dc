package io.pgpartition.model;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;

/**
 * How a table's rows are distributed over its partitions.
 */
public enum PartitionStrategy {
    RANGE('r'),
    LIST('l'),
    HASH('h');

    private final char catalogCode;

    PartitionStrategy(char catalogCode) {
        this.catalogCode = catalogCode;
    }

    /** The strategy for a {@code pg_partitioned_table.partstrat} code. */
    public static PartitionStrategy fromCatalogCode(String code) {
        for (PartitionStrategy strategy : values()) {
            if (code != null && code.length() == 1 && code.charAt(0) == strategy.catalogCode) {
                return strategy;
            }
        }
        throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE,
                "Unknown partition strategy code '" + code + "' in pg_partitioned_table.partstrat; expected r, l or h");
    }
}
