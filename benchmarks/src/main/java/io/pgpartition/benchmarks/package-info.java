/**
 * The benchmark harness: each benchmark measures in one run against a named baseline and reports ratios.
 */
package io.pgpartition.benchmarks;
