package io.pgpartition.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a real connection and counts the statements it executes (round trips to the server).
 */
public final class CountingConnection {

    private final AtomicInteger executions = new AtomicInteger();
    private final Connection connection;

    public CountingConnection(Connection target) {
        this.connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(target, method, args);
                    if (result instanceof PreparedStatement statement) {
                        return wrap(statement, PreparedStatement.class);
                    }
                    if (result instanceof Statement statement) {
                        return wrap(statement, Statement.class);
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

    private <T> T wrap(T statement, Class<T> type) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().startsWith("execute")) {
                executions.incrementAndGet();
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
