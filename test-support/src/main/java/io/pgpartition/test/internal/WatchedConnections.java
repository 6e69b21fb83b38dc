package io.pgpartition.test.internal;

import io.pgpartition.pruning.internal.Sentinel;
import io.pgpartition.pruning.internal.StatementWatch;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Plain JDBC connections whose statements pass the unpruned-statement sentinel before they run, for tests that use no
 * Hibernate: while a test watches ({@link io.pgpartition.pruning.UnprunedStatements#watch()}), each distinct text is
 * explained once and an unpruned one is told to the watch; otherwise they behave as the connection they wrap.
 */
public final class WatchedConnections {

    private static final Sentinel SENTINEL = new Sentinel(Sentinel.Mode.OFF, table -> Optional.empty());

    private WatchedConnections() {
    }

    /** The connection, watched. */
    public static Connection watch(Connection connection) {
        return (Connection) Proxy.newProxyInstance(WatchedConnections.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(connection, method, args);
                    if (result instanceof Statement statement) {
                        String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : null;
                        return statement(statement, method.getReturnType(), (Connection) proxy, connection, sql);
                    }
                    return result;
                });
    }

    /** The data source, handing out watched connections. */
    public static DataSource watch(DataSource dataSource) {
        return (DataSource) Proxy.newProxyInstance(WatchedConnections.class.getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(dataSource, method, args);
                    return result instanceof Connection connection ? watch(connection) : result;
                });
    }

    private static Object statement(Statement statement, Class<?> type, Connection watched, Connection connection, String preparedSql) {
        Class<?> shown = type == CallableStatement.class || type == PreparedStatement.class ? type : Statement.class;
        StatementWatch watch = new StatementWatch(SENTINEL, preparedSql);
        return Proxy.newProxyInstance(WatchedConnections.class.getClassLoader(), new Class<?>[]{shown}, (proxy, method, args) -> {
            if (method.getName().equals("getConnection") && (args == null || args.length == 0)) {
                return watched;
            }
            watch.before(connection, method, args);
            return invoke(statement, method, args);
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
