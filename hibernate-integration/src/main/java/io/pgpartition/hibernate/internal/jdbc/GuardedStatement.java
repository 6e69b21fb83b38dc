package io.pgpartition.hibernate.internal.jdbc;

import io.pgpartition.pruning.internal.StatementWatch;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * A statement handed out by a guarded connection: a text passed to it passes the {@link StatementCheck} before it
 * runs, the server's refusals come back as pgpartition's exceptions ({@link GuardedConnections#translated}),
 * {@link #getConnection()} returns the guarded connection and the result sets it hands out are guarded. Every other
 * call goes to the driver's statement as it is. Written out rather than a dynamic proxy: every parameter and every run
 * of every statement passes here, and a proxy's reflective calls cost an entity update ten microseconds.
 */
class GuardedStatement implements Statement {

    private final Statement delegate;
    private final Connection guarded;
    /** The driver's connection, which the check asks the catalog on. */
    private final Connection connection;
    private final StatementCheck guard;
    /** The text the statement was prepared with; null for a plain statement. */
    final String preparedSql;
    private final StatementWatch watch;

    GuardedStatement(Statement delegate, Connection guarded, Connection connection, StatementCheck guard, String preparedSql) {
        this.delegate = delegate;
        this.guarded = guarded;
        this.connection = connection;
        this.guard = guard;
        this.preparedSql = preparedSql;
        this.watch = new StatementWatch(guard.sentinel(), preparedSql);
    }

    /** Before a text runs as it is: the check, then the unpruned-statement sentinel. */
    final void checkAndWatch(String sql) {
        guard.check(sql, connection);
        watch.beforeRun(connection, sql);
    }

    /** Before the prepared text runs: the unpruned-statement sentinel. */
    final void watchPrepared() {
        watch.beforeRun(connection, null);
    }

    /** The driver's failure of {@code sql}, thrown as pgpartition's exception where it is a refusal pgpartition names. */
    final SQLException failure(SQLException e, String sql) {
        RuntimeException translated = GuardedConnections.translated(e, guard, sql);
        if (translated != null) {
            throw translated;
        }
        return e;
    }

    @Override
    public Connection getConnection() {
        return guarded;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return delegate.toString();
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        checkAndWatch(sql);
        try {
            delegate.addBatch(sql);
        } catch (SQLException e) {
            throw failure(e, sql);
        }
    }

    @Override
    public void cancel() throws SQLException {
        delegate.cancel();
    }

    @Override
    public void clearBatch() throws SQLException {
        delegate.clearBatch();
    }

    @Override
    public void clearWarnings() throws SQLException {
        delegate.clearWarnings();
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        delegate.closeOnCompletion();
    }

    @Override
    public void close() throws SQLException {
        delegate.close();
    }

    @Override
    public String enquoteIdentifier(String identifier, boolean alwaysQuote) throws SQLException {
        return delegate.enquoteIdentifier(identifier, alwaysQuote);
    }

    @Override
    public String enquoteLiteral(String value) throws SQLException {
        return delegate.enquoteLiteral(value);
    }

    @Override
    public String enquoteNCharLiteral(String value) throws SQLException {
        return delegate.enquoteNCharLiteral(value);
    }

    @Override
    public int[] executeBatch() throws SQLException {
        try {
            return delegate.executeBatch();
        } catch (SQLException e) {
            throw failure(e, preparedSql);
        }
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        try {
            return delegate.executeLargeBatch();
        } catch (SQLException e) {
            throw failure(e, preparedSql);
        }
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        checkAndWatch(sql);
        try {
            return delegate.executeLargeUpdate(sql, columnIndexes);
        } catch (SQLException e) {
            throw failure(e, sql);
        }
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        checkAndWatch(sql);
        try {
            return delegate.executeLargeUpdate(sql, columnNames);
        } catch (SQLException e) {
            throw failure(e, sql);
        }
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        checkAndWatch(sql);
        try {
            return delegate.executeLargeUpdate(sql, autoGeneratedKeys);
        } catch (SQLException e) {
            throw failure(e, sql);
        }
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        checkAndWatch(sql);
        try {
            return delegate.executeLargeUpdate(sql);
        } catch (SQLException e) {
            throw failure(e, sql);
        }
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        checkAndWatch(sql);
        try {
            return GuardedResultSet.of(delegate.executeQuery(sql), this);
        } catch (SQLException e) {
            throw failure(e, sql);
        }
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        checkAndWatch(sql);
        try {
            return delegate.executeUpdate(sql, columnIndexes);
        } catch (SQLException e) {
            throw failure(e, sql);
        }
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        checkAndWatch(sql);
        try {
            return delegate.executeUpdate(sql, columnNames);
        } catch (SQLException e) {
            throw failure(e, sql);
        }
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        checkAndWatch(sql);
        try {
            return delegate.executeUpdate(sql, autoGeneratedKeys);
        } catch (SQLException e) {
            throw failure(e, sql);
        }
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        checkAndWatch(sql);
        try {
            return delegate.executeUpdate(sql);
        } catch (SQLException e) {
            throw failure(e, sql);
        }
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        checkAndWatch(sql);
        try {
            return delegate.execute(sql, columnIndexes);
        } catch (SQLException e) {
            throw failure(e, sql);
        }
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        checkAndWatch(sql);
        try {
            return delegate.execute(sql, columnNames);
        } catch (SQLException e) {
            throw failure(e, sql);
        }
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        checkAndWatch(sql);
        try {
            return delegate.execute(sql, autoGeneratedKeys);
        } catch (SQLException e) {
            throw failure(e, sql);
        }
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        checkAndWatch(sql);
        try {
            return delegate.execute(sql);
        } catch (SQLException e) {
            throw failure(e, sql);
        }
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return delegate.getFetchDirection();
    }

    @Override
    public int getFetchSize() throws SQLException {
        return delegate.getFetchSize();
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        return GuardedResultSet.of(delegate.getGeneratedKeys(), this);
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        return delegate.getLargeMaxRows();
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        return delegate.getLargeUpdateCount();
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        return delegate.getMaxFieldSize();
    }

    @Override
    public int getMaxRows() throws SQLException {
        return delegate.getMaxRows();
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        try {
            return delegate.getMoreResults();
        } catch (SQLException e) {
            throw failure(e, preparedSql);
        }
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        try {
            return delegate.getMoreResults(current);
        } catch (SQLException e) {
            throw failure(e, preparedSql);
        }
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        return delegate.getQueryTimeout();
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        return delegate.getResultSetConcurrency();
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        return delegate.getResultSetHoldability();
    }

    @Override
    public int getResultSetType() throws SQLException {
        return delegate.getResultSetType();
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        return GuardedResultSet.of(delegate.getResultSet(), this);
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return delegate.getUpdateCount();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return delegate.getWarnings();
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        return delegate.isCloseOnCompletion();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return delegate.isClosed();
    }

    @Override
    public boolean isPoolable() throws SQLException {
        return delegate.isPoolable();
    }

    @Override
    public boolean isSimpleIdentifier(String identifier) throws SQLException {
        return delegate.isSimpleIdentifier(identifier);
    }

    @Override
    public void setCursorName(String name) throws SQLException {
        delegate.setCursorName(name);
    }

    @Override
    public void setEscapeProcessing(boolean enable) throws SQLException {
        delegate.setEscapeProcessing(enable);
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        delegate.setFetchDirection(direction);
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        delegate.setFetchSize(rows);
    }

    @Override
    public void setLargeMaxRows(long max) throws SQLException {
        delegate.setLargeMaxRows(max);
    }

    @Override
    public void setMaxFieldSize(int max) throws SQLException {
        delegate.setMaxFieldSize(max);
    }

    @Override
    public void setMaxRows(int max) throws SQLException {
        delegate.setMaxRows(max);
    }

    @Override
    public void setPoolable(boolean poolable) throws SQLException {
        delegate.setPoolable(poolable);
    }

    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        delegate.setQueryTimeout(seconds);
    }
}
