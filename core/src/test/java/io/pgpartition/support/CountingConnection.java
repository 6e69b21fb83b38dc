package io.pgpartition.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Wraps a real connection and counts the statements it executes (round trips to the server); can run a hook once,
 * just before a prepared statement holding a given text is executed.
 */
public final class CountingConnection {

    private final AtomicInteger executions = new AtomicInteger();
    private final AtomicReference<String> hookedSql = new AtomicReference<>();
    private volatile Runnable hook;
    private final Connection connection;

    public CountingConnection(Connection target) {
        this.connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    if (result instanceof PreparedStatement statement) {
                        return wrap(statement, PreparedStatement.class, (String) args[0]);
                    }
                    if (result instanceof Statement statement) {
                        return wrap(statement, Statement.class, null);
                    }
                    return result;
                });
    }

    public Connection connection() {
        return connection;
    }

    public int executions() {
        return executions.get();
    }

    public void reset() {
        executions.set(0);
    }

    /** Runs {@code action} once, before the first execution of a prepared statement whose SQL contains {@code sqlPart}. */
    public void onceBefore(String sqlPart, Runnable action) {
        hookedSql.set(sqlPart);
        hook = action;
    }

    private <T> T wrap(T statement, Class<T> type, String sql) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().startsWith("execute")) {
                executions.incrementAndGet();
                String part = hookedSql.get();
                if (sql != null && part != null && sql.contains(part) && hookedSql.compareAndSet(part, null)) {
                    hook.run();
                }
            }
            return invoke(statement, method, args);
        };
        return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{type}, handler));
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
