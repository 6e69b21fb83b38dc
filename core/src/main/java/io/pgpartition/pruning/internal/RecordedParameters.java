package io.pgpartition.pruning.internal;

import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parameter values set on a prepared statement, kept as the calls that set them so that they can be set again,
 * the same way, on the statement that explains it. Streams and large objects are not kept (reading them would take
 * them from the statement that runs): a null stands in for them, and a partition key is never one of them.
 */
public final class RecordedParameters {

    /** One setter call: the method and its arguments. */
    private record Call(Method method, Object[] args) {
    }

    /** No parameters: for a statement text run as it is. */
    public static final RecordedParameters NONE = new RecordedParameters(Map.of());

    private final Map<Integer, Call> calls;

    public RecordedParameters() {
        this(new TreeMap<>());
    }

    private RecordedParameters(Map<Integer, Call> calls) {
        this.calls = calls;
    }

    /**
     * Keeps the call if it sets a parameter by index ({@code setLong(1, 42)}, {@code setObject(2, value, type)},
     * {@code setNull(3, Types.DATE)}...); forgets all on {@code clearParameters()}. Other calls are ignored.
     */
    public void record(Method method, Object[] args) {
        String name = method.getName();
        Class<?> declaring = method.getDeclaringClass();
        if (this == NONE || declaring != PreparedStatement.class && declaring != CallableStatement.class) {
            return;
        }
        if (name.equals("clearParameters")) {
            calls.clear();
        } else if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer index) {
            calls.put(index, new Call(method, args.clone()));
        }
    }

    /** Sets the recorded values on {@code statement}, whose text has the same parameters. */
    public void applyTo(PreparedStatement statement) throws SQLException {
        for (Map.Entry<Integer, Call> entry : calls.entrySet()) {
            Call call = entry.getValue();
            if (unreadable(call.args())) {
                statement.setNull(entry.getKey(), Types.OTHER);
                continue;
            }
            try {
                call.method().invoke(statement, call.args());
            } catch (IllegalAccessException e) {
                throw new SQLException("Cannot set parameter " + entry.getKey() + " again: " + e.getMessage(), e);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof SQLException sql) {
                    throw sql;
                }
                throw new SQLException("Cannot set parameter " + entry.getKey() + " again: " + e.getCause(), e.getCause());
            }
        }
    }

    /** How many parameters are set. */
    public int size() {
        return calls.size();
    }

    private static boolean unreadable(Object[] args) {
        for (Object arg : args) {
            if (arg instanceof InputStream || arg instanceof Reader || arg instanceof Blob || arg instanceof Clob) {
                return true;
            }
        }
        return false;
    }
}
