package io.pgpartition.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How range partitions of an entity's table are laid out and kept: their interval, how many are made ahead of time,
 * how long they are kept and what happens after.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RangePartitions {

    /**
     * Width of one partition: {@code 1 day}, {@code 1 week}, {@code 1 month}, {@code 3 months}, {@code 1 year}
     * (any positive count of day/week/month/quarter/year), or an integer step such as {@code 100000} for numeric keys.
     */
    String interval();

    /** How many partitions exist ahead of the current one. */
    int premake() default 3;

    /** How long partitions are kept, in the same units as the interval; empty keeps them forever. */
    String retention() default "";

    /** What retention does with an expired partition. */
    Expiry onExpiry() default Expiry.DETACH;

    /**
     * Name of each partition. Tokens: {@code {table}}, {@code {yyyy}}, {@code {MM}}, {@code {dd}}, {@code {q}},
     * {@code {ww}} (ISO week), and for numeric keys {@code {value}} (the lower bound).
     */
    String naming() default "{table}_p{yyyy}{MM}{dd}";

    /** Whether a default partition catches rows no other partition accepts. */
    boolean defaultPartition() default false;

    /** Time zone in which period boundaries of a {@code timestamptz} key are computed. */
    String zone() default "UTC";
}
