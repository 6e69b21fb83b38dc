package io.pgpartition.hibernate.internal.jdbc;

import io.pgpartition.NoPartitionForKeyException;
import io.pgpartition.hibernate.ChildPartitionDml;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static io.pgpartition.hibernate.internal.jdbc.JdbcSamples.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link GuardedStatement} and {@link GuardedPreparedStatement} are written out by hand: every method of the interface
 * must reach the driver's statement once, with the same arguments, and hand back its answer (a result set guarded,
 * answering the guarded statement), except {@code getConnection}, which answers the guarded connection; the runs are
 * where the server's refusals become pgpartition's exceptions. The guards themselves are tested on PostgreSQL
 * ({@code ChildPartitionDmlTest}, {@code RuntimeGuardsTest}, {@code UnprunedStatementsTest}).
 */
class GuardedStatementTest {

    private record Call(Method method, List<Object> args) {
    }

    /** The calls that run a statement: the only ones whose failures are translated. */
    private static final Set<String> RUNS = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "executeBatch",
            "executeLargeBatch", "getMoreResults");

    private final List<Call> calls = new ArrayList<>();
    private final Object answer = new Object();
    private final Connection guardedConnection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{Connection.class}, (proxy, method, args) -> null);
    private final StatementCheck check = new StatementCheck(ChildPartitionDml.REJECT);

    @Test
    void everyMethodOfAPlainStatementReachesTheDriversStatement() throws Exception {
        Statement driver = driver(Statement.class, null);
        assertForwarded(Statement.class, new GuardedStatement(driver, guardedConnection, null, check, null));
    }

    @Test
    void everyMethodOfAPreparedStatementReachesTheDriversStatement() throws Exception {
        PreparedStatement driver = driver(PreparedStatement.class, null);
        assertForwarded(PreparedStatement.class,
                new GuardedPreparedStatement(driver, guardedConnection, null, check, "select 1"));
    }

    @Test
    void aRowNoPartitionTakesBecomesNoPartitionForKeyExceptionOnEveryRun() throws Exception {
        SQLException refused = new SQLException("ERROR: no partition of relation \"claims\" found for row\n"
                + "  Detail: Partition key of the failing row contains (created_at) = (1999-01-01 00:00:00).", "23514");
        PreparedStatement driver = driver(PreparedStatement.class, refused);
        PreparedStatement guarded = new GuardedPreparedStatement(driver, guardedConnection, null, check,
                "insert into claims (id, created_at) values (?, ?)");
        int runs = 0;
        for (Method method : PreparedStatement.class.getMethods()) {
            if (!RUNS.contains(method.getName()) || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            Object[] args = Arrays.stream(method.getParameterTypes()).map(type -> sample(type, "select 1")).toArray();
            assertThatThrownBy(() -> invoke(method, guarded, args)).as("%s", method)
                    .isInstanceOf(NoPartitionForKeyException.class)
                    .hasMessage("No partition of table claims accepts partition key value 1999-01-01 00:00:00. Create a partition "
                            + "for this value or run partition maintenance. Server detail: Partition key of the failing row "
                            + "contains (created_at) = (1999-01-01 00:00:00).")
                    .hasCause(refused);
            runs++;
        }
        assertThat(runs).as("every run of a prepared statement").isEqualTo(21);
        SQLException other = new SQLException("ERROR: duplicate key value violates unique constraint \"claims_pkey\"", "23505");
        PreparedStatement failing = new GuardedPreparedStatement(driver(PreparedStatement.class, other), guardedConnection, null, check,
                "insert into claims (id, created_at) values (?, ?)");
        assertThatThrownBy(failing::executeUpdate).as("any other failure goes on as it came").isSameAs(other);
    }

    private void assertForwarded(Class<? extends Statement> type, Statement guarded) throws Exception {
        int checked = 0;
        for (Method method : type.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.getName().equals("getConnection")) {
                continue;
            }
            Object[] args = Arrays.stream(method.getParameterTypes()).map(t -> sample(t, "argument")).toArray();
            if (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
                args[0] = Statement.class;
            }
            calls.clear();
            Object result = method.invoke(guarded, args);
            assertThat(calls).as("%s reaches the driver once", method).hasSize(1);
            assertThat(calls.get(0).method().getName()).as("%s reaches the same method", method).isEqualTo(method.getName());
            assertThat(calls.get(0).method().getParameterTypes()).as("%s: same overload", method).isEqualTo(method.getParameterTypes());
            assertThat(calls.get(0).args()).as("%s: same arguments", method).containsExactly(args);
            if (method.getReturnType() == ResultSet.class) {
                assertThat(((ResultSet) result).getStatement()).as("%s: the result set answers the guarded statement", method)
                        .isSameAs(guarded);
            } else if (method.getReturnType() != void.class) {
                assertThat(result).as("%s hands back the driver's answer", method).isEqualTo(sample(method.getReturnType(), answer));
            }
            checked++;
        }
        assertThat(checked).as("every instance method of %s but getConnection", type.getSimpleName()).isEqualTo(
                (int) Arrays.stream(type.getMethods()).filter(m -> !Modifier.isStatic(m.getModifiers())).count() - 1);
        assertThat(guarded.getConnection()).as("the guarded connection").isSameAs(guardedConnection);
        assertThat(guarded.toString()).as("the driver's text, which shows the statement").isEqualTo("the driver's statement");
    }

    /** The driver's statement: records each call and answers a sample of its type, or throws {@code failure}. */
    private <S extends Statement> S driver(Class<S> type, SQLException failure) {
        return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            if (method.getName().equals("toString")) {
                return "the driver's statement";
            }
            calls.add(new Call(method, args == null ? List.of() : Arrays.asList(args)));
            if (failure != null) {
                throw failure;
            }
            if (method.getReturnType() == ResultSet.class) {
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{ResultSet.class}, (rs, m, a) -> null);
            }
            return sample(method.getReturnType(), answer);
        }));
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
