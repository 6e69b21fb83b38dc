package io.pgpartition.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The partitions of a hash-partitioned table: one per remainder of {@link #modulus()}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface HashPartitions {

    /** Number of partitions. */
    int modulus();

    /** Name of each partition; tokens {@code {table}} and {@code {remainder}}. */
    String naming() default "{table}_h{remainder}";
}
