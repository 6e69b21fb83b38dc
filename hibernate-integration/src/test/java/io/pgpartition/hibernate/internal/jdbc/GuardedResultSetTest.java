package io.pgpartition.hibernate.internal.jdbc;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.pgpartition.hibernate.internal.jdbc.JdbcSamples.sample;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GuardedResultSet} is written out by hand: every method of {@link ResultSet} must reach the driver's result set
 * with the same arguments and hand back its answer, except {@code getStatement}, which answers the guarded statement.
 */
class GuardedResultSetTest {

    private record Call(Method method, List<Object> args) {
    }

    @Test
    void everyMethodReachesTheDriversResultSetWithItsArguments() throws Exception {
        List<Call> calls = new ArrayList<>();
        Object answer = new Object();
        ResultSet driver = (ResultSet) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{ResultSet.class},
                (proxy, method, args) -> {
                    calls.add(new Call(method, args == null ? List.of() : Arrays.asList(args)));
                    return sample(method.getReturnType(), answer);
                });
        Statement guardedStatement = (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Statement.class},
                (proxy, method, args) -> null);
        ResultSet guarded = GuardedResultSet.of(driver, guardedStatement);
        int checked = 0;
        for (Method method : ResultSet.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.getName().equals("getStatement")
                    || method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
                continue;
            }
            Object[] args = Arrays.stream(method.getParameterTypes()).map(type -> sample(type, "argument")).toArray();
            calls.clear();
            Object result = method.invoke(guarded, args);
            assertThat(calls).as("%s reaches the driver once", method).hasSize(1);
            assertThat(calls.get(0).method().getName()).as("%s reaches the same method", method).isEqualTo(method.getName());
            assertThat(calls.get(0).method().getParameterTypes()).as("%s: same overload", method).isEqualTo(method.getParameterTypes());
            assertThat(calls.get(0).args()).as("%s: same arguments", method).containsExactly(args);
            if (method.getReturnType() != void.class) {
                assertThat(result).as("%s hands back the driver's answer", method).isEqualTo(sample(method.getReturnType(), answer));
            }
            checked++;
        }
        assertThat(checked).as("every instance method of ResultSet but three").isEqualTo(
                (int) Arrays.stream(ResultSet.class.getMethods()).filter(m -> !Modifier.isStatic(m.getModifiers())).count() - 3);
        assertThat(guarded.getStatement()).as("the guarded statement").isSameAs(guardedStatement);
        assertThat(GuardedResultSet.of(guarded, guardedStatement)).as("not wrapped twice").isSameAs(guarded);
        assertThat(GuardedResultSet.of(null, guardedStatement)).isNull();
    }
}
