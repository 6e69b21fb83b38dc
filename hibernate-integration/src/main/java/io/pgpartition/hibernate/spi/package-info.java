/**
 * Service provider interface: what integrations build on pgpartition's Hibernate integration with (the Spring Boot
 * starter's health, gauges and scheduled maintenance, or another framework's). {@link
 * io.pgpartition.hibernate.spi.PartitionedPersistenceUnit} is the partitioned side of one open persistence unit: its
 * tables, their health, and maintenance on its own connections. Applications may read it too; opening one is for
 * integrations.
 */
package io.pgpartition.hibernate.spi;
