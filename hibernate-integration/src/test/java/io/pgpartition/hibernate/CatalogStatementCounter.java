package io.pgpartition.hibernate;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A data source that counts the statements prepared on its connections that read {@code pg_catalog}: pgpartition's
 * catalog queries, as opposed to the application's own.
 */
final class CatalogStatementCounter {

    private final AtomicInteger count = new AtomicInteger();
    private final DataSource dataSource;

    CatalogStatementCounter(DataSource target) {
        this.dataSource = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    return result instanceof Connection connection ? counting(connection) : result;
                });
    }

    DataSource dataSource() {
        return dataSource;
    }

    int count() {
        return count.get();
    }

    void reset() {
        count.set(0);
    }

    private Connection counting(Connection target) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    if (method.getName().equals("prepareStatement") && args[0] instanceof String sql && sql.contains("pg_catalog.")) {
                        count.incrementAndGet();
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
