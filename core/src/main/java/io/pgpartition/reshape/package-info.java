/**
 * Reshaping the partitions of a partitioned table online: splitting one into several, merging adjacent ones, and
 * draining a default partition into real partitions, while the application keeps writing through the parent.
 */
package io.pgpartition.reshape;
