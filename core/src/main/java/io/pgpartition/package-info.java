/**
 * pgpartition's public root: the exception hierarchy, its error codes, and the mapping problems startup validation reports.
 */
package io.pgpartition;
