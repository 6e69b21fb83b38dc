/**
 * Private API, no compatibility guarantees: how pgpartition plugs into Hibernate, in three rooms, one per SPI seam.
 * {@code boot} changes and checks the boot-time model (integrator, service contributor, entity scan, schema export,
 * startup validation, maintenance and server guard at startup); {@code event} holds the event listeners that enforce
 * the key rules on entity writes; {@code jdbc} wraps the connection provider and checks every SQL statement sent
 * (child-partition writes and key assignments alike), with the cached partition layouts both rooms route by.
 */
package io.pgpartition.hibernate.internal;
