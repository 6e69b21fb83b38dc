/**
 * Online conversion of a plain table into a partitioned one: {@link io.pgpartition.conversion.TableConversion}
 * analyzes the table, plans every statement, creates the partitioned twin, keeps it in sync with a trigger while rows
 * are copied in batches, verifies counts and checksums per partition, swaps the names in one short transaction, and
 * can roll back or clean up. Its state is kept in the database, so that a run stopped anywhere resumes.
 */
package io.pgpartition.conversion;
