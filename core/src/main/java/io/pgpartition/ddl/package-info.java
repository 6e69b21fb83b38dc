/**
 * Partition DDL, built on the one identifier-quoting and literal-rendering functions of {@link
 * io.pgpartition.ddl.internal.Sql}.
 */
package io.pgpartition.ddl;
