/**
 * Startup validation: partitioned entity mappings checked against the database, every problem collected into one
 * report. Knows nothing of Hibernate; the Hibernate integration describes each entity as an {@link
 * io.pgpartition.validation.EntityMapping}.
 */
package io.pgpartition.validation;
