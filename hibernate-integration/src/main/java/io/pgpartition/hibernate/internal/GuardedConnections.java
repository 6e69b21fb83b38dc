package io.pgpartition.hibernate.internal;

import io.pgpartition.NoPartitionForKeyException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Connections whose SQL passes the {@link ChildPartitionGuard} before it is prepared or executed, and whose
 * "no partition ... found for row" errors (SQLState 23514) become {@link NoPartitionForKeyException} with the
 * server's detail kept.
 */
final class GuardedConnections {

    /** Implemented by every guarded connection: the connection it wraps. */
    interface Guarded {
        Connection unguarded();
    }

    private static final Set<String> PREPARING = Set.of("prepareStatement", "prepareCall");
    private static final Set<String> EXECUTING = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "addBatch");
    private static final Pattern NO_PARTITION = Pattern.compile("no partition of relation \"(.*)\" found for row");
    private static final Pattern DETAIL = Pattern.compile("Detail: ([^\n]*)");
    private static final Pattern KEY_VALUE = Pattern.compile("\\) = \\((.*)\\)\\.?$");

    private GuardedConnections() {
    }

    static Connection guard(Connection connection, ChildPartitionGuard guard) {
        return (Connection) Proxy.newProxyInstance(GuardedConnections.class.getClassLoader(),
                new Class<?>[]{Connection.class, Guarded.class}, (proxy, method, args) -> {
                    if (method.getName().equals("unguarded")) {
                        return connection;
                    }
                    if (args != null && args[0] instanceof String sql && PREPARING.contains(method.getName())) {
                        guard.check(sql, connection);
                    }
                    Object result = invoke(connection, method, args);
                    if (result instanceof Statement statement) {
                        return statement(statement, method.getReturnType(), connection, guard);
                    }
                    return result;
                });
    }

    static Connection unguarded(Connection connection) {
        return connection instanceof Guarded guarded ? guarded.unguarded() : connection;
    }

    /** A statement whose SQL-taking calls pass the guard first; parameter setters are not looked at beyond their first argument. */
    private static Object statement(Statement statement, Class<?> type, Connection connection, ChildPartitionGuard guard) {
        return Proxy.newProxyInstance(GuardedConnections.class.getClassLoader(), new Class<?>[]{type},
                (proxy, method, args) -> {
                    if (args != null && args.length > 0 && args[0] instanceof String sql && EXECUTING.contains(method.getName())) {
                        guard.check(sql, connection);
                    }
                    return invoke(statement, method, args);
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql && "23514".equals(sql.getSQLState())) {
                NoPartitionForKeyException translated = translate(sql);
                if (translated != null) {
                    throw translated;
                }
            }
            throw cause;
        }
    }

    /** The server's "no partition of relation ... found for row" as pgpartition's exception; null for other check violations. */
    static NoPartitionForKeyException translate(SQLException e) {
        Matcher relation = NO_PARTITION.matcher(String.valueOf(e.getMessage()));
        if (!relation.find()) {
            return null;
        }
        Matcher detailLine = DETAIL.matcher(String.valueOf(e.getMessage()));
        String detail = detailLine.find() ? detailLine.group(1).trim() : null;
        Matcher value = KEY_VALUE.matcher(detail == null ? "" : detail);
        NoPartitionForKeyException translated = new NoPartitionForKeyException(relation.group(1),
                value.find() ? value.group(1) : "(see detail)", List.of(), detail);
        translated.initCause(e);
        return translated;
    }
}
