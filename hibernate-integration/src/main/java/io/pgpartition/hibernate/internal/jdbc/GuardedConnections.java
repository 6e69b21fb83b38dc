package io.pgpartition.hibernate.internal.jdbc;

import io.pgpartition.ChildPartitionWriteException;
import io.pgpartition.NoPartitionForKeyException;
import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.guard.internal.GuardSql;
import io.pgpartition.pruning.internal.StatementWatch;
import io.pgpartition.PartitionKeyMissingException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Connections whose SQL passes the {@link StatementCheck} before it is prepared or executed, and whose
 * "no partition ... found for row" errors (SQLState 23514) become {@link NoPartitionForKeyException} with the
 * server's detail kept.
 */
public final class GuardedConnections {

    /** Implemented by every guarded connection: the connection it wraps. */
    interface Guarded {
        Connection unguarded();
    }

    private static final Set<String> PREPARING = Set.of("prepareStatement", "prepareCall");
    private static final Set<String> EXECUTING = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "addBatch");
    private static final Pattern NO_PARTITION = Pattern.compile("no partition of relation \"(.*)\" found for row");
    private static final Pattern NULL_KEY = Pattern.compile("Partition key of the failing row contains \\((\\w+)\\) = \\(null\\)");
    private static final Pattern NOT_NULL = Pattern.compile("null value in column \"(.*)\" of relation \"(.*)\" violates not-null constraint");
    private static final Pattern KEY_CHANGED = Pattern.compile("pgpartition: partition key column (.+?) of (\\S+) would change from");
    private static final Pattern EXPRESSION_CHANGED = Pattern.compile("pgpartition: partition key expression (.+) of (\\S+) would change from");
    private static final Pattern DIRECT_WRITE = Pattern.compile("pgpartition: \\w+ on partition (\\S+) refused: write through its parent table (\\S+)");
    private static final Pattern DETAIL = Pattern.compile("Detail: ([^\n]*)");
    private static final Pattern KEY_VALUE = Pattern.compile("\\) = \\((.*)\\)\\.?$");

    private GuardedConnections() {
    }

    static Connection guard(Connection connection, StatementCheck guard) {
        return (Connection) guard(connection, guard, Connection.class);
    }

    /**
     * The connection as a guarded proxy of every interface its class implements (so that the driver's documented
     * casts, such as {@code (BaseConnection) connection} for a {@code CopyManager}, work as without pgpartition), or of
     * {@code type} alone where those interfaces cannot all be seen from here. Whatever hands out a connection again
     * returns a guarded one: {@code unwrap} to an interface, a statement's {@code getConnection()}, the metadata's
     * {@code getConnection()}, and the {@code getStatement()} of every result set a statement or the metadata hands
     * out ({@link GuardedResultSet}). The driver's COPY goes through its query executor, which is guarded too: a
     * {@code COPY ... FROM} passes the same check as any other statement.
     */
    private static Object guard(Connection connection, StatementCheck guard, Class<?> type) {
        Object[] self = new Object[1];
        java.lang.reflect.InvocationHandler handler = (proxy, method, args) -> {
            switch (method.getName()) {
                case "unguarded":
                    return connection;
                case "unwrap":
                    if (args[0] instanceof Class<?> wanted && wanted.isInterface() && wanted.isInstance(connection)
                            && wanted != Guarded.class) {
                        return wanted.isInstance(proxy) ? proxy : guard(connection, guard, wanted);
                    }
                    break;
                case "getMetaData":
                    DatabaseMetaData metaData = connection.getMetaData();
                    return Proxy.newProxyInstance(GuardedConnections.class.getClassLoader(), new Class<?>[]{DatabaseMetaData.class},
                            (metaProxy, metaMethod, metaArgs) -> {
                                if (metaMethod.getName().equals("getConnection")) {
                                    return proxy;
                                }
                                Object result = invoke(metaData, metaMethod, metaArgs, guard, null);
                                if (result instanceof java.sql.ResultSet rows) {
                                    Statement driverStatement = rows.getStatement();
                                    return GuardedResultSet.of(rows, driverStatement == null ? null : (Statement) statement(
                                            driverStatement, Statement.class, (Connection) proxy, connection, guard, null));
                                }
                                return result;
                            });
                case "getQueryExecutor":
                    if (args == null || args.length == 0) {
                        Object executor = invoke(connection, method, null, guard, null);
                        return copyChecked(executor, connection, guard);
                    }
                    break;
                case "getCopyAPI":
                    if (args == null || args.length == 0) {
                        Object copy = copyManager(proxy, connection);
                        if (copy != null) {
                            return copy;
                        }
                    }
                    break;
                default:
                    break;
            }
            if (args != null && args[0] instanceof String sql && PREPARING.contains(method.getName())) {
                guard.check(sql, connection);
            }
            Object result = invoke(connection, method, args, guard, null);
            if (result instanceof Statement statement) {
                return statement(statement, method.getReturnType(), (Connection) proxy, connection, guard,
                        args != null && args.length > 0 && args[0] instanceof String sql ? sql : null);
            }
            return result;
        };
        try {
            self[0] = Proxy.newProxyInstance(GuardedConnections.class.getClassLoader(), CONNECTION_INTERFACES.get(connection.getClass()),
                    handler);
        } catch (IllegalArgumentException notVisibleFromHere) {
            Class<?>[] interfaces = type == Connection.class ? new Class<?>[]{Connection.class, Guarded.class}
                    : new Class<?>[]{type, Connection.class, Guarded.class};
            self[0] = Proxy.newProxyInstance(GuardedConnections.class.getClassLoader(), interfaces, handler);
        }
        return self[0];
    }

    /** Per class, the public interfaces it implements (through its superclasses too), worked out once. */
    private static final ClassValue<Class<?>[]> PUBLIC_INTERFACES = new ClassValue<>() {
        @Override
        protected Class<?>[] computeValue(Class<?> type) {
            Set<Class<?>> interfaces = new java.util.LinkedHashSet<>();
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                collectInterfaces(c, interfaces);
            }
            return interfaces.toArray(Class<?>[]::new);
        }
    };

    /** Per connection class, its public interfaces with {@link Connection} and {@link Guarded}. */
    private static final ClassValue<Class<?>[]> CONNECTION_INTERFACES = new ClassValue<>() {
        @Override
        protected Class<?>[] computeValue(Class<?> type) {
            Set<Class<?>> interfaces = new java.util.LinkedHashSet<>(List.of(PUBLIC_INTERFACES.get(type)));
            interfaces.add(Connection.class);
            interfaces.add(Guarded.class);
            return interfaces.toArray(Class<?>[]::new);
        }
    };

    private static void collectInterfaces(Class<?> type, Set<Class<?>> into) {
        for (Class<?> implemented : type.getInterfaces()) {
            if (java.lang.reflect.Modifier.isPublic(implemented.getModifiers()) && into.add(implemented)) {
                collectInterfaces(implemented, into);
            }
        }
    }

    /**
     * The driver's {@code CopyManager} over the guarded connection, so that its COPY goes through the guarded query
     * executor; null where the driver is not PostgreSQL's (it is not a compile-time dependency here).
     */
    private static Object copyManager(Object guarded, Connection connection) {
        try {
            ClassLoader loader = connection.getClass().getClassLoader();
            Class<?> base = Class.forName("org.postgresql.core.BaseConnection", false, loader);
            if (!base.isInstance(guarded)) {
                return null;
            }
            return Class.forName("org.postgresql.copy.CopyManager", true, loader).getConstructor(base).newInstance(guarded);
        } catch (ReflectiveOperationException | LinkageError notThisDriver) {
            return null;
        }
    }

    /** The driver's query executor, whose {@code startCopy} (the path of every COPY) passes the check first. */
    private static Object copyChecked(Object executor, Connection connection, StatementCheck guard) {
        if (executor == null) {
            return null;
        }
        try {
            return Proxy.newProxyInstance(GuardedConnections.class.getClassLoader(), PUBLIC_INTERFACES.get(executor.getClass()),
                    (proxy, method, args) -> {
                        if (method.getName().equals("startCopy") && args != null && args.length > 0 && args[0] instanceof String sql) {
                            guard.check(sql, connection);
                        }
                        return invoke(executor, method, args, guard, null);
                    });
        } catch (IllegalArgumentException notVisibleFromHere) {
            return executor;
        }
    }

    public static Connection unguarded(Connection connection) {
        return connection instanceof Guarded guarded ? guarded.unguarded() : connection;
    }

    /**
     * A statement whose SQL-taking calls pass the guard first; parameter setters are not looked at beyond their first
     * argument. While the unpruned-statement sentinel looks at statements, a prepared statement whose text it has not
     * judged yet records its parameter values, and each run passes the sentinel first. Plain and prepared statements
     * are written out ({@link GuardedPreparedStatement}); a callable statement, and a prepared one whose parameter
     * values the sentinel records, is a dynamic proxy of the type the connection's method returns.
     */
    private static Object statement(Statement statement, Class<?> type, Connection guarded, Connection connection,
                                    StatementCheck guard, String preparedSql) {
        if (type == PreparedStatement.class && statement instanceof PreparedStatement prepared && preparedSql != null
                && !guard.sentinel().unjudged(preparedSql)) {
            return new GuardedPreparedStatement(prepared, guarded, connection, guard, preparedSql);
        }
        if (type == Statement.class && preparedSql == null) {
            return new GuardedStatement(statement, guarded, connection, guard, null);
        }
        StatementWatch watch = new StatementWatch(guard.sentinel(), preparedSql);
        return Proxy.newProxyInstance(GuardedConnections.class.getClassLoader(), new Class<?>[]{type},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && (args == null || args.length == 0)) {
                        return guarded;
                    }
                    String sql = preparedSql;
                    if (args != null && args.length > 0 && args[0] instanceof String text && EXECUTING.contains(method.getName())) {
                        guard.check(text, connection);
                        sql = text;
                    }
                    watch.before(connection, method, args);
                    Object result = invoke(statement, method, args, guard, sql);
                    return result instanceof java.sql.ResultSet rows ? GuardedResultSet.of(rows, (Statement) proxy) : result;
                });
    }

    private static Object invoke(Object target, Method method, Object[] args, StatementCheck guard, String statement)
            throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            RuntimeException translated = cause instanceof SQLException sql ? translated(sql, guard, statement) : null;
            throw translated != null ? translated : cause;
        }
    }

    /**
     * The driver's failure of {@code statement} as pgpartition's exception: a refusal of the server guard, a partition
     * key the server found null, a row no partition takes; null for any other failure, which goes on as it came.
     */
    static RuntimeException translated(SQLException failure, StatementCheck guard, String statement) {
        RuntimeException refused = serverGuardRefusal(failure, guard, statement);
        if (refused != null) {
            return refused;
        }
        PartitionKeyMissingException missing = missingKey(failure, guard);
        if (missing != null) {
            return missing;
        }
        return "23514".equals(failure.getSQLState()) ? translate(failure) : null;
    }

    /**
     * The server guard's refusals as the client-side check's exceptions: a changed key (SQLSTATE {@code PGP01}) as
     * {@link PartitionKeyChangedException}, a direct write to a partition ({@code PGP02}) as
     * {@link ChildPartitionWriteException}; null for any other error.
     */
    static RuntimeException serverGuardRefusal(SQLException e, StatementCheck guard, String statement) {
        String message = String.valueOf(e.getMessage());
        String sql = statement == null ? "(statement not known)" : statement;
        RuntimeException refused = null;
        if (GuardSql.KEY_CHANGED_STATE.equals(e.getSQLState())) {
            Matcher changed = KEY_CHANGED.matcher(message);
            if (changed.find()) {
                String column = unquote(changed.group(1));
                String table = changed.group(2);
                String tableName = unquote(table.substring(table.lastIndexOf('.') + 1));
                refused = guard.keyColumn(tableName, column)
                        .map(key -> new PartitionKeyChangedException(key.entity(), key.attribute(), key.column(), sql))
                        .orElseGet(() -> new PartitionKeyChangedException(table, column, column, sql));
            } else {
                Matcher expression = EXPRESSION_CHANGED.matcher(message);
                if (expression.find()) {
                    refused = new PartitionKeyChangedException(expression.group(2), expression.group(1), expression.group(1), sql);
                }
            }
        } else if (GuardSql.DIRECT_WRITE_STATE.equals(e.getSQLState())) {
            Matcher write = DIRECT_WRITE.matcher(message);
            if (write.find()) {
                refused = new ChildPartitionWriteException(write.group(1), write.group(2), sql, true);
            }
        }
        if (refused != null) {
            refused.initCause(e);
        }
        return refused;
    }

    /** An identifier as {@code quote_ident} printed it, without its quotes. */
    private static String unquote(String identifier) {
        return identifier.length() > 1 && identifier.startsWith("\"") && identifier.endsWith("\"")
                ? identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"") : identifier;
    }

    /**
     * The server's refusal of a row whose partition key is null, as pgpartition's exception: a key the database was
     * to fill in (or a generator) left null. Either routing found no partition for the null key (23514, detail
     * {@code (column) = (null)}), or the partition it went to refused the null (23502 naming a key column).
     */
    static PartitionKeyMissingException missingKey(SQLException e, StatementCheck guard) {
        String relation = null;
        String column = null;
        if ("23514".equals(e.getSQLState())) {
            Matcher noPartition = NO_PARTITION.matcher(String.valueOf(e.getMessage()));
            Matcher nullKey = NULL_KEY.matcher(String.valueOf(e.getMessage()));
            if (noPartition.find() && nullKey.find()) {
                relation = noPartition.group(1);
                column = nullKey.group(1);
            }
        } else if ("23502".equals(e.getSQLState())) {
            Matcher notNull = NOT_NULL.matcher(String.valueOf(e.getMessage()));
            if (notNull.find()) {
                column = notNull.group(1);
                relation = notNull.group(2);
            }
        }
        if (relation == null || column == null) {
            return null;
        }
        return guard.keyColumn(relation, column).map(key -> {
            PartitionKeyMissingException missing = new PartitionKeyMissingException(key.entity(), key.attribute(),
                    key.column(), key.table().toString(), key.strategy());
            missing.initCause(e);
            return missing;
        }).orElse(null);
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
