/**
 * Reports of partitioned tables and their partitions.
 */
package io.pgpartition.report;
