/**
 * Private API, no compatibility guarantees. JDBC wrapping: the connection provider that hands out guarded
 * connections on PostgreSQL (and plain ones elsewhere), the statement check that refuses writes to child partitions
 * and key assignments in any SQL sent, and the cached partition layouts it and the event listeners route by.
 */
package io.pgpartition.hibernate.internal.jdbc;
