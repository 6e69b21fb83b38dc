package io.pgpartition.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that the partitions of an entity's table are partitioned themselves, and by which attributes: one
 * annotation per level below {@link PartitionedBy}, in order. Exactly one of {@link #range()}, {@link #list()} and
 * {@link #hash()} is set. The attributes of every level are partition keys like the root's: required on insert, never
 * changed, and named in the WHERE clause of entity updates and deletes, so that PostgreSQL prunes to one leaf.
 *
 * <pre>{@code
 * @Entity @Table(name = "claims")
 * @PartitionedBy(range = "serviceDate")      // claims_2024 FOR VALUES FROM ... PARTITION BY LIST (region)
 * @SubPartitionedBy(list = "region")         // claims_2024_eu FOR VALUES IN ('eu')
 * class Claim { ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(SubPartitionedBy.Levels.class)
public @interface SubPartitionedBy {

    /** Attributes of a {@code PARTITION BY RANGE} key of the partitions at this level. */
    String[] range() default {};

    /** Attributes of a {@code PARTITION BY LIST} key of the partitions at this level. */
    String[] list() default {};

    /** Attributes of a {@code PARTITION BY HASH} key of the partitions at this level. */
    String[] hash() default {};

    /** Several levels, outermost first. */
    @Documented
    @Inherited
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface Levels {
        SubPartitionedBy[] value();
    }
}
