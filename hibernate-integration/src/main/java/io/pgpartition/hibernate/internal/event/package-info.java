/**
 * Private API, no compatibility guarantees. Event listeners: the key present on insert (after callbacks and
 * generators), never changed on update (with snapshots of mutable keys), routed before the insert is sent, and
 * stateless deletes and upserts made safe or refused.
 */
package io.pgpartition.hibernate.internal.event;
