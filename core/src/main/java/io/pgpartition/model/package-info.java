/**
 * The partition model: strategies, keys, bounds, partitions and partitioned tables, with range arithmetic.
 */
package io.pgpartition.model;
