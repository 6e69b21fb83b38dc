package io.pgpartition.test.hibernate;

import io.pgpartition.test.postgres.PostgresTest;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a test class a fresh database (as {@link PostgresTest} does) and a Hibernate session factory over it, mapped
 * with the declared entities and settings. Test and lifecycle methods receive a {@link SessionFactoryScope}; the
 * factory is built on its first use, so a {@code @BeforeAll} method can create the tables first, and closed after
 * the class. Entities used by one test class are best its nested static classes.
 *
 * <pre>{@code
 * @HibernateTest(entities = RoutingTest.Message.class,
 *         settings = @Setting(name = "pgpartition.child_partition_dml", value = "reject"))
 * class RoutingTest {
 *     @BeforeAll
 *     static void tables(TestDatabase db) {
 *         db.execute("CREATE TABLE messages (...) PARTITION BY RANGE (created_at)", ...);
 *     }
 *
 *     @Test
 *     void routes(SessionFactoryScope scope) {
 *         scope.inTransaction(session -> session.persist(new Message(...)));
 *     }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@PostgresTest
@ExtendWith(SessionFactoryExtension.class)
public @interface HibernateTest {

    /** The annotated classes of the persistence unit. */
    Class<?>[] entities() default {};

    /** Hibernate (and pgpartition) settings, applied after the connection settings of the test database. */
    Setting[] settings() default {};
}
