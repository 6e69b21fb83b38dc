/**
 * Private API. No compatibility guarantees.
 *
 * <p>The one transaction discipline and the one advisory lock of the engines: only readers and runners hold a
 * connection, and runners hold it through these.
 */
package io.pgpartition.internal.jdbc;
