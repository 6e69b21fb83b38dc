/**
 * SQL rendering: the single identifier-quoting and literal-rendering functions, and partition DDL built on them.
 */
package io.pgpartition.ddl;
