/**
 * The server guard: triggers installed in PostgreSQL that refuse a changed partition key and a direct write to a
 * partition whoever sends them (psql, other services, {@code DO} blocks, functions, {@code COPY}).
 */
package io.pgpartition.guard;
