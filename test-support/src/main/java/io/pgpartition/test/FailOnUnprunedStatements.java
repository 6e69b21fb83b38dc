package io.pgpartition.test;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Fails each test (on a class: each of its tests) in which a statement that can touch every partition of a table ran,
 * with the report of each: the SQL, what produced it, the line and the fix. It sees the statements of Hibernate
 * session factories with pgpartition (whatever {@code pgpartition.unpruned_statements} says) and of connections
 * watched with {@link PartitionAssertions#watched(java.sql.Connection)}. Statements run inside
 * {@link io.pgpartition.pruning.FullScan#intended} pass; so do the test's own set-up and clean-up methods.
 *
 * <pre>{@code
 * @HibernateTest(entities = Visit.class)
 * @FailOnUnprunedStatements
 * class VisitRepositoryTest { ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(UnprunedStatementsExtension.class)
public @interface FailOnUnprunedStatements {
}
