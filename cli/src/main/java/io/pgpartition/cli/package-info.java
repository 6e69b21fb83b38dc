/**
 * The {@code pgpartition} command line.
 */
package io.pgpartition.cli;
