/**
 * Annotations that declare how an entity's table is partitioned and how its partitions are kept.
 */
package io.pgpartition.annotations;
