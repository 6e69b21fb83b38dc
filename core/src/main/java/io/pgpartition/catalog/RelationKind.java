package io.pgpartition.catalog;

/**
 * What a relation is, from {@code pg_class.relkind}.
 */
public enum RelationKind {
    /** An ordinary table ({@code r}); a leaf partition is one too. */
    TABLE,
    /** A partitioned table ({@code p}); a sub-partitioned partition is one too. */
    PARTITIONED_TABLE,
    VIEW,
    MATERIALIZED_VIEW,
    FOREIGN_TABLE,
    /** Anything else: sequence, index, composite type. */
    OTHER;

    static RelationKind fromCatalogCode(String relkind) {
        return switch (relkind) {
            case "r" -> TABLE;
            case "p" -> PARTITIONED_TABLE;
            case "v" -> VIEW;
            case "m" -> MATERIALIZED_VIEW;
            case "f" -> FOREIGN_TABLE;
            default -> OTHER;
        };
    }
}
