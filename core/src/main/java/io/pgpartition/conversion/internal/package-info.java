/**
 * Private API. No compatibility guarantees.
 *
 * <p>The conversion engine behind {@link io.pgpartition.conversion.TableConversion}: {@link
 * io.pgpartition.catalog.internal.TableReader} and {@link io.pgpartition.conversion.internal.StateTable} read facts,
 * {@link io.pgpartition.conversion.internal.ConversionPlanner} turns them into a {@link
 * io.pgpartition.conversion.internal.Blueprint} (blockers, changes and statements) without a connection, and
 * {@link io.pgpartition.conversion.internal.ConversionRunner} runs its steps.
 */
package io.pgpartition.conversion.internal;
