/**
 * Private API. No compatibility guarantees.
 *
 * <p>{@link io.pgpartition.ddl.internal.Sql}: the one function that quotes identifiers and the one that renders values
 * as literals, for every statement pgpartition generates.
 */
package io.pgpartition.ddl.internal;
