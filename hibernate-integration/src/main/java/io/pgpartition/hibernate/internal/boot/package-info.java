/**
 * Private API, no compatibility guarantees. Boot time: the service-loaded {@code Integrator} and
 * {@code ServiceContributor}, the scan of {@code @PartitionedBy} entities in Hibernate's boot model, the schema-export
 * contribution, startup validation against the catalog, maintenance and the server guard at startup, and the reading of
 * the {@code pgpartition.*} settings.
 */
package io.pgpartition.hibernate.internal.boot;
