package io.pgpartition.hibernate;

import io.pgpartition.test.postgres.TestDatabase;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;

import java.util.Map;

/**
 * Builds a session factory for a test database with the given entities and settings, the way an application's
 * plain Hibernate bootstrap does.
 */
final class Bootstrap {

    private Bootstrap() {
    }

    static SessionFactory sessionFactory(TestDatabase db, Map<String, String> settings, Class<?>... entities) {
        Configuration configuration = new Configuration();
        configuration.setProperty("hibernate.connection.url", db.jdbcUrl());
        if (db.user() != null) {
            configuration.setProperty("hibernate.connection.username", db.user());
        }
        if (db.password() != null) {
            configuration.setProperty("hibernate.connection.password", db.password());
        }
        configuration.setProperty("hibernate.connection.pool_size", "2");
        settings.forEach(configuration::setProperty);
        for (Class<?> entity : entities) {
            configuration.addAnnotatedClass(entity);
        }
        return configuration.buildSessionFactory();
    }

    static SessionFactory sessionFactory(TestDatabase db, Class<?>... entities) {
        return sessionFactory(db, Map.of(), entities);
    }
}
