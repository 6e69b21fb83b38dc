package io.pgpartition.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The attribute holding the Citus distribution column of a {@code @PartitionedBy} entity whose table is a Citus
 * distributed table. pgpartition treats it as a key like the partition key: required on insert (refused before any
 * SQL), never changed (refused, never dropped), and named in the WHERE clause of entity UPDATE and DELETE statements and
 * of {@code PartitionedFinder}, so that Citus sends each of them to one shard.
 *
 * <pre>{@code
 * @PartitionedBy(range = "createdAt")
 * @DistributedBy("tenantId")
 * public class EventImpression { ... }
 * }</pre>
 *
 * <p>Startup validation checks it against Citus' metadata: a distributed table must have its distribution column
 * declared here, mapped as a basic attribute, not nullable. On plain PostgreSQL (no {@code citus} extension) the
 * attribute is kept the same way, so that tests and development databases behave as the cluster will.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface DistributedBy {

    /** The entity attribute (not the column) mapped to the distribution column. */
    String value();
}
