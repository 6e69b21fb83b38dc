/**
 * Assertions about partitions for integration tests: where a row is stored, which partitions a query scans.
 */
package io.pgpartition.test;
