/**
 * Reads partitioning facts from PostgreSQL's catalog in a fixed number of queries.
 */
package io.pgpartition.catalog;
