/**
 * Private API. No compatibility guarantees.
 *
 * <p>The server guard behind {@link io.pgpartition.guard.ServerGuard}: {@link io.pgpartition.catalog.internal.GuardReader}
 * reads the facts, {@link io.pgpartition.guard.internal.GuardPlanner} turns them, without a connection, into what is
 * missing or wrong with the statements that repair it.
 */
package io.pgpartition.guard.internal;
