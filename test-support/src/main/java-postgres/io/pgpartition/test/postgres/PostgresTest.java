package io.pgpartition.test.postgres;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a test class a fresh database of its own on a real PostgreSQL (see {@link PostgresServer} for where the
 * server comes from). Test and lifecycle methods and constructors receive it as a {@link TestDatabase} or
 * {@link javax.sql.DataSource} parameter. The database is dropped after the class; nested classes share it.
 *
 * <pre>{@code
 * @PostgresTest
 * class RoutingTest {
 *     @Test
 *     void routes(TestDatabase db) throws SQLException {
 *         try (Connection c = db.connection()) { ... }
 *     }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(PostgresExtension.class)
public @interface PostgresTest {
}
