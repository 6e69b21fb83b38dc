/**
 * Which partitions a statement can touch, read from its plan without running it, and the sentinel that reports the
 * statements that scan every partition: {@link io.pgpartition.pruning.PruningProbe} explains one statement,
 * {@link io.pgpartition.pruning.UnprunedStatements} collects what the sentinel saw while a test ran, and
 * {@link io.pgpartition.pruning.FullScan} marks the scans of every partition that are meant.
 */
package io.pgpartition.pruning;
