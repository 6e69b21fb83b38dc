/**
 * Hibernate ORM 7 integration: startup validation of {@code @PartitionedBy} entities against their tables, run-time
 * guards on partition keys, and routing of entity DML through parent tables.
 */
package io.pgpartition.hibernate;
