/**
 * A runnable tour of the seed scenarios on a real PostgreSQL.
 */
package io.pgpartition.sample;
