package io.pgpartition.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that an entity is stored in a partitioned PostgreSQL table, and by which attributes.
 * Exactly one of {@link #range()}, {@link #list()} and {@link #hash()} is set; each names entity attributes
 * (not column names), in the order of the table's partition key.
 *
 * <pre>{@code
 * @Entity @Table(name = "chat_messages")
 * @PartitionedBy(range = "createdAt")
 * @RangePartitions(interval = "3 months", premake = 2)
 * class ChatMessage { ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PartitionedBy {

    /** Attributes of a {@code PARTITION BY RANGE} key. */
    String[] range() default {};

    /** Attributes of a {@code PARTITION BY LIST} key (PostgreSQL allows exactly one). */
    String[] list() default {};

    /** Attributes of a {@code PARTITION BY HASH} key. */
    String[] hash() default {};
}
