/**
 * Spring Boot auto-configuration for pgpartition: {@link io.pgpartition.spring.boot.PgPartitionProperties} reach
 * Hibernate, {@link io.pgpartition.spring.boot.PartitionMonitor} serves the {@code pgpartition} health contributor and
 * the Micrometer gauges, and maintenance runs on Spring's scheduler when scheduling is enabled.
 */
package io.pgpartition.spring.boot;
