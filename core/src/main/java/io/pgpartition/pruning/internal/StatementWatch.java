package io.pgpartition.pruning.internal;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.util.Set;

/**
 * What one JDBC statement passes to the {@link Sentinel}, for the connection proxies that watch statements: each run
 * (a text run as it is, or the prepared text with the parameter values recorded for it), and, while its prepared text
 * is not judged yet, the calls that set its parameters.
 */
public final class StatementWatch {

    /** The calls that run a statement, or queue it for a batch. */
    private static final Set<String> RUNNING = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "addBatch");

    private final Sentinel sentinel;
    private final String preparedSql;
    private final RecordedParameters recorded;

    /** For a statement prepared with {@code preparedSql}, or a plain statement ({@code null}). */
    public StatementWatch(Sentinel sentinel, String preparedSql) {
        this.sentinel = sentinel;
        this.preparedSql = preparedSql;
        this.recorded = preparedSql != null && sentinel.unjudged(preparedSql) ? new RecordedParameters() : null;
    }

    /**
     * Called before each call on the statement, on the connection the statement belongs to (the driver's own).
     *
     * @throws io.pgpartition.UnprunedStatementException where the sentinel refuses a run
     */
    public void before(Connection connection, Method method, Object[] args) {
        if (recorded == null && !sentinel.active()) {
            return; // the sentinel is off: nothing more per call
        }
        if (!RUNNING.contains(method.getName())) {
            if (recorded != null) {
                recorded.record(method, args);
            }
            return;
        }
        if (args == null || args.length == 0) {
            beforeRun(connection, null);
        } else if (args[0] instanceof String text) {
            beforeRun(connection, text);
        }
    }

    /**
     * Called before a run of the statement: {@code text} for a text run as it is, null for a run of the prepared text
     * (with the parameter values recorded for it, if any). Statements written out for speed call only this; they are
     * made only where no values need recording.
     *
     * @throws io.pgpartition.UnprunedStatementException where the sentinel refuses the run
     */
    public void beforeRun(Connection connection, String text) {
        if (!sentinel.active()) {
            return;
        }
        if (text != null) {
            sentinel.beforeRun(connection, text, RecordedParameters.NONE);
        } else if (preparedSql != null) {
            sentinel.beforeRun(connection, preparedSql, recorded);
        }
    }
}
