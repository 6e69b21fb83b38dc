package io.pgpartition.hibernate.internal.jdbc;

/** Values for the tests of the written-out JDBC wrappers: a distinct value of each type a JDBC method takes or returns. */
final class JdbcSamples {

    private JdbcSamples() {
    }

    /** A value of {@code type}: {@code marker} where an object or a text is wanted, a seven of every number, true, or null. */
    static Object sample(Class<?> type, Object marker) {
        if (type == void.class) {
            return null;
        }
        if (type == boolean.class) {
            return true;
        }
        if (type == int.class) {
            return 7;
        }
        if (type == long.class) {
            return 7L;
        }
        if (type == short.class) {
            return (short) 7;
        }
        if (type == byte.class) {
            return (byte) 7;
        }
        if (type == float.class) {
            return 7f;
        }
        if (type == double.class) {
            return 7d;
        }
        if (type == String.class) {
            return marker instanceof String text ? text : "seven";
        }
        if (type == Object.class) {
            return marker;
        }
        return null;
    }
}
