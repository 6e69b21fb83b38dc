/**
 * Private API. No compatibility guarantees.
 *
 * <p>Reading SQL text as PostgreSQL reads it: {@link io.pgpartition.internal.sql.SqlLexer} (comments, literals,
 * quoted and Unicode identifiers, words) and the DML grammar on it, {@link io.pgpartition.internal.sql.DmlTargets}.
 */
package io.pgpartition.internal.sql;
