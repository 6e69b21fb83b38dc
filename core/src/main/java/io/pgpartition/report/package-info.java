/**
 * What partitioned tables look like now, for people and monitoring. {@link io.pgpartition.report.PartitionHealth}
 * rates each table OK, WARN or CRITICAL with the way out of every problem.
 */
package io.pgpartition.report;
