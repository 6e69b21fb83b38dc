package io.pgpartition;

/**
 * What went wrong, as a stable code carried by every {@link PartitioningException}.
 */
public enum ErrorCode {
    /** Entity mappings disagree with the database; see {@link PartitionMappingException#getProblems()}. */
    MAPPING_INVALID,
    /** Text in an annotation or policy (interval, retention, naming, zone) cannot be understood. */
    DEFINITION_INVALID,
    /** An insert carried no value for the partition key. */
    PARTITION_KEY_MISSING,
    /** An update would change the partition key of an existing row. */
    PARTITION_KEY_CHANGED,
    /** No partition of the table accepts the key value. */
    NO_PARTITION_FOR_KEY,
    /** Data was written to a partition directly instead of through its parent table. */
    CHILD_PARTITION_WRITE,
    /** The PostgreSQL server (or database) is not one pgpartition supports. */
    SERVER_UNSUPPORTED,
    /** The Hibernate ORM on the class path is older than the oldest line pgpartition runs on. */
    HIBERNATE_UNSUPPORTED,
    /** An identifier cannot be used in SQL: empty, too long, or containing a NUL character. */
    IDENTIFIER_INVALID,
    /** A value cannot be rendered as a SQL literal. */
    LITERAL_INVALID,
    /** The catalog could not be read, or returned something pgpartition does not understand. */
    CATALOG_UNREADABLE,
    /** Partitions that the maintenance policies want by now are missing (startup verification). */
    PARTITIONS_MISSING,
    /** Partition maintenance could not run, or could not finish what it had to do. */
    MAINTENANCE_FAILED,
    /** An operation that cannot keep pgpartition's guarantees on a partitioned entity, refused before it runs. */
    OPERATION_UNSUPPORTED,
    /** A table cannot be converted as it is (the analysis names why), or another run is converting it. */
    CONVERSION_BLOCKED,
    /** A conversion step was refused or found a difference; the conversion's state says where it stopped. */
    CONVERSION_FAILED,
    /** Partitions cannot be reshaped as asked (the message names why), or another run holds the table. */
    RESHAPE_BLOCKED,
    /** A reshape step was refused or found a difference; the reshape's state says where it stopped. */
    RESHAPE_FAILED,
    /** A statement can touch every partition of a table where its shape needs one ({@code pgpartition.unpruned_statements=fail}). */
    UNPRUNED_STATEMENT
}
