package io.pgpartition;

/**
 * The kinds of mapping problem startup validation reports, each naming one way an entity and its table disagree.
 */
public enum ProblemCode {
    /** None or several of range/list/hash set; bad interval, naming or retention text. */
    ANNOTATION_INVALID,
    /** The key names no basic persistent attribute of the entity. */
    KEY_ATTRIBUTE_UNKNOWN,
    /** The mapped table does not exist. */
    PARENT_TABLE_MISSING,
    /** The mapped table exists but is a plain table. */
    TABLE_NOT_PARTITIONED,
    /** The entity maps a partition of another table instead of the parent. */
    MAPS_CHILD_PARTITION,
    /** The annotation's strategy differs from the table's. */
    STRATEGY_MISMATCH,
    /** Key columns differ from the table's partition key (order counts). */
    KEY_MISMATCH,
    /** A key column is nullable in the database or optional in the mapping. */
    KEY_NULLABLE,
    /** A unique constraint declared in the mapping lacks the partition key. */
    UNIQUE_WITHOUT_KEY,
    /** Another entity's association targets this entity by columns that cannot be a foreign key to a partitioned table. */
    FOREIGN_KEY_TO_PARTITIONED,
    /** The table has no partitions: every insert would fail. */
    NO_PARTITIONS,
    /** A value the key attribute can take has no partition, and there is no default partition. */
    LIST_VALUE_UNCOVERED,
    /** No partition (and no default) covers the current time for a time-range key. */
    RANGE_NOW_UNCOVERED,
    /** A hash-partitioned table lacks some remainder of its modulus. */
    HASH_REMAINDER_MISSING,
    /**
     * A JOINED subclass of a partitioned entity keeps its attributes in a table of its own, which lacks the partition
     * key that its updates and deletes would name. Reported whatever {@code pgpartition.validation} says: the mapping
     * cannot work.
     */
    SUBCLASS_TABLE_WITHOUT_KEY,
    /**
     * A unidirectional {@code @OneToMany @JoinColumn} owned by another entity sets its join column on rows of the
     * partitioned table by their id alone, so that PostgreSQL scans every partition for each of them.
     */
    COLLECTION_UPDATE_WITHOUT_KEY,
    /**
     * {@code pgpartition.server_guard=verify} and the server guard's triggers are missing on the table or one of its
     * partitions (see {@code pgpartition guard install}).
     */
    SERVER_GUARD_MISSING,
    /**
     * An association reaches a partitioned entity by columns without its partition key ({@code @ManyToOne} or
     * {@code @OneToOne} joined by the identifier alone, a {@code @OneToMany} whose join columns lack the key), so that
     * loading it scans every partition. Reported with {@code pgpartition.unpruned_statements=log|fail}.
     */
    ASSOCIATION_WITHOUT_KEY,
    /**
     * A named query on a partitioned entity has no condition on its partition key, so that it scans every partition.
     * Reported with {@code pgpartition.unpruned_statements=log|fail}.
     */
    QUERY_WITHOUT_KEY,
    /**
     * {@code plan_cache_mode} is {@code force_generic_plan} for the application's sessions (set for the session, the
     * role or the database): prepared statements then plan for every partition and prune only when they run, which is
     * many times slower. Reported with {@code pgpartition.unpruned_statements=log|fail} and by {@code pgpartition check}.
     */
    GENERIC_PLANS_FORCED,
    /**
     * The table is a Citus distributed table and the entity does not declare its distribution column with
     * {@code @DistributedBy}, or declares another one: entity updates would set it (which Citus refuses) and updates and
     * deletes by id would reach every shard.
     */
    DISTRIBUTION_MISMATCH,
    /** The distribution column is nullable in the mapping or in the database. */
    DISTRIBUTION_NULLABLE,
    /** The entity declares {@code @DistributedBy} but its table is a Citus reference or local table, not distributed. */
    TABLE_NOT_DISTRIBUTED,
    /**
     * An association between two distributed tables joins them by columns without the distribution column, or the
     * tables are in different colocation groups: Citus cannot keep a foreign key between them nor join them on one node.
     */
    DISTRIBUTED_JOIN_NOT_COLOCATED
}
