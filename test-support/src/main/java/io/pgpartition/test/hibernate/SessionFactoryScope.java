package io.pgpartition.test.hibernate;

import io.pgpartition.test.postgres.TestDatabase;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.hibernate.cfg.Configuration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A test class's Hibernate session factory on its test database, handed to test and lifecycle methods by
 * {@link HibernateTest}. The declared factory is built on first use; {@link #build} builds others on the same
 * database (another mapping, other settings, or a bootstrap expected to fail). Every factory is closed after the class.
 */
public final class SessionFactoryScope implements AutoCloseable {

    private final Supplier<TestDatabase> database;
    private final Map<String, Object> settings;
    private final List<Class<?>> entities;
    private final List<SessionFactory> built = new ArrayList<>();
    private SessionFactory declared;

    SessionFactoryScope(Supplier<TestDatabase> database, Map<String, Object> settings, List<Class<?>> entities) {
        this.database = database;
        this.settings = Map.copyOf(settings);
        this.entities = List.copyOf(entities);
    }

    /** The test class's database. */
    public TestDatabase database() {
        return database.get();
    }

    /** The factory of the declared entities and settings, built on the first call. */
    public synchronized SessionFactory sessionFactory() {
        if (declared == null || !declared.isOpen()) {
            declared = build(Map.of(), entities.toArray(Class<?>[]::new));
        }
        return declared;
    }

    /** Runs the work in a session of the declared factory. */
    public void inSession(Consumer<Session> work) {
        sessionFactory().inSession(work);
    }

    /** Runs the work in a session of the declared factory and returns its result. */
    public <R> R fromSession(Function<Session, R> work) {
        return sessionFactory().fromSession(work);
    }

    /** Runs the work in a transaction of the declared factory, committed unless the work throws. */
    public void inTransaction(Consumer<Session> work) {
        sessionFactory().inTransaction(work);
    }

    /** Runs the work in a transaction of the declared factory and returns its result. */
    public <R> R fromTransaction(Function<Session, R> work) {
        return sessionFactory().fromTransaction(work);
    }

    /** Runs the work in a stateless session's transaction of the declared factory. */
    public void inStatelessTransaction(Consumer<StatelessSession> work) {
        sessionFactory().inStatelessTransaction(work);
    }

    /**
     * Builds another factory on the test database, mapping exactly these entities, with the class's settings and
     * then these over them (values may be objects, such as a {@code DataSource} or a {@code StatementInspector}).
     * The caller may close it; otherwise it is closed after the class.
     */
    public SessionFactory build(Map<String, ?> overrides, Class<?>... mapped) {
        TestDatabase db = database();
        Configuration configuration = new Configuration();
        configuration.setProperty("hibernate.connection.url", db.jdbcUrl());
        if (db.user() != null) {
            configuration.setProperty("hibernate.connection.username", db.user());
        }
        if (db.password() != null) {
            configuration.setProperty("hibernate.connection.password", db.password());
        }
        configuration.setProperty("hibernate.connection.pool_size", "2");
        Map<String, Object> all = new LinkedHashMap<>(settings);
        all.putAll(overrides);
        configuration.getProperties().putAll(all);
        for (Class<?> entity : mapped) {
            configuration.addAnnotatedClass(entity);
        }
        SessionFactory factory = configuration.buildSessionFactory();
        synchronized (this) {
            built.add(factory);
        }
        return factory;
    }

    /** {@link #build(Map, Class[])} with the class's settings only. */
    public SessionFactory build(Class<?>... mapped) {
        return build(Map.of(), mapped);
    }

    /** Closes every factory still open. */
    @Override
    public synchronized void close() {
        RuntimeException failure = null;
        for (SessionFactory factory : built) {
            try {
                if (factory.isOpen()) {
                    factory.close();
                }
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        built.clear();
        declared = null;
        if (failure != null) {
            throw failure;
        }
    }
}
