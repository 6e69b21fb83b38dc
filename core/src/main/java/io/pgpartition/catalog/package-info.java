/**
 * What PostgreSQL's catalog says of partitioned tables, read in a fixed number of queries by {@link
 * io.pgpartition.catalog.CatalogReader} into a {@link io.pgpartition.catalog.CatalogSnapshot}. The engines' other
 * catalog and data questions are in {@code catalog.internal}.
 */
package io.pgpartition.catalog;
