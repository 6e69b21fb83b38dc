/**
 * Private API. No compatibility guarantees.
 *
 * <p>Every catalog and data question the engines ask, each through {@link io.pgpartition.catalog.internal.Jdbc}: the
 * layouts come from {@link io.pgpartition.catalog.CatalogReader}; here are the rest ({@link
 * io.pgpartition.catalog.internal.Catalog}), the data probes ({@link io.pgpartition.catalog.internal.DataProbes}), the
 * facts of a plain table for conversion ({@link io.pgpartition.catalog.internal.TableReader}) and of the server guard
 * ({@link io.pgpartition.catalog.internal.GuardReader}).
 */
package io.pgpartition.catalog.internal;
