/**
 * Private API. No compatibility guarantees.
 *
 * <p>The maintenance engine behind {@link io.pgpartition.maintenance.PartitionMaintenance}, on the read → plan → run
 * rule: {@link io.pgpartition.maintenance.internal.MaintenanceReader} turns the catalog and the data into facts;
 * {@link io.pgpartition.maintenance.internal.MaintenancePlanner} (with {@link
 * io.pgpartition.maintenance.internal.RangePlan}, {@link io.pgpartition.maintenance.internal.ListPlan}, {@link
 * io.pgpartition.maintenance.internal.HashPlan} and {@link io.pgpartition.maintenance.internal.RetentionPlan}) turns
 * facts and a time into actions and findings without a connection; {@link
 * io.pgpartition.maintenance.internal.MaintenanceRun} takes each table's advisory lock and has {@link
 * io.pgpartition.maintenance.internal.ActionRunner} run the actions.
 */
package io.pgpartition.maintenance.internal;
