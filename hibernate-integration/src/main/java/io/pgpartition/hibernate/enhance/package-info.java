/**
 * The optional build-time guard: a Byte Buddy plugin that makes an entity refuse a change of its partition key at
 * the assignment itself once it is persistent.
 */
package io.pgpartition.hibernate.enhance;
