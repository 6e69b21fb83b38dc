/**
 * Hibernate session factories on a test database for JUnit 5 tests: {@link io.pgpartition.test.hibernate.HibernateTest}
 * and the {@link io.pgpartition.test.hibernate.SessionFactoryScope} it hands to test methods. Needs Hibernate ORM on
 * the class path.
 */
package io.pgpartition.test.hibernate;
