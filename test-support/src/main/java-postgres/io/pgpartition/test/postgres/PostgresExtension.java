package io.pgpartition.test.postgres;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import javax.sql.DataSource;

/**
 * The JUnit 5 extension behind {@link PostgresTest}: one database per top-level test class, created before its
 * first test and dropped after its last ({@code PGPARTITION_TEST_KEEP_DATABASES=true} keeps them for inspection).
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);
    private static final String DATABASE = "database";

    @Override
    public void beforeAll(ExtensionContext context) {
        if (context.getStore(NAMESPACE).get(DATABASE, TestDatabase.class) != null) {
            return;
        }
        TestDatabase database = PostgresServer.shared().createDatabase(context.getRequiredTestClass().getSimpleName());
        context.getStore(NAMESPACE).put(DATABASE, database);
        context.getStore(NAMESPACE).put(DATABASE + ".owner", context.getUniqueId());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (!context.getUniqueId().equals(store.get(DATABASE + ".owner", String.class))) {
            return;
        }
        TestDatabase database = store.remove(DATABASE, TestDatabase.class);
        if (database != null && !Boolean.parseBoolean(setting("PGPARTITION_TEST_KEEP_DATABASES"))) {
            database.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestDatabase.class || type == DataSource.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestDatabase database;
        try {
            database = database(context);
        } catch (IllegalStateException e) {
            throw new ParameterResolutionException(e.getMessage());
        }
        return parameter.getParameter().getType() == DataSource.class ? database.dataSource() : database;
    }

    /**
     * The database of the test class the context belongs to (or of its enclosing class), for extensions that build
     * on {@link PostgresTest}.
     *
     * @throws IllegalStateException if the class is not annotated with {@code @PostgresTest} or its database is gone
     */
    public static TestDatabase database(ExtensionContext context) {
        TestDatabase database = context.getStore(NAMESPACE).get(DATABASE, TestDatabase.class);
        if (database == null) {
            throw new IllegalStateException("No test database for " + context.getDisplayName()
                    + ": annotate the test class with @PostgresTest");
        }
        return database;
    }

    private static String setting(String name) {
        String property = System.getProperty(name);
        return property != null ? property : System.getenv(name);
    }
}
