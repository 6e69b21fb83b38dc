package io.pgpartition.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One partition of a list-partitioned table: its name and the key values it holds.
 * {@code name} may use {@code {table}} and {@code {value}} (the first value).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(ListPartitions.class)
public @interface ListPartition {

    /** Partition name, such as {@code content_items_auto} or {@code {table}_{value}}. */
    String name();

    /** Key values the partition holds, as text. */
    String[] values();
}
