/**
 * Partition maintenance: premake, default-partition rescue, retention, gap reports. {@link
 * io.pgpartition.maintenance.PartitionMaintenance} plans the exact SQL for a set of {@link
 * io.pgpartition.maintenance.MaintenancePolicy policies} and applies it without queueing the application's writes.
 */
package io.pgpartition.maintenance;
