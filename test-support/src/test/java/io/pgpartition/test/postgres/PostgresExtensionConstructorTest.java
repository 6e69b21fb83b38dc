package io.pgpartition.test.postgres;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

@PostgresTest
class PostgresExtensionConstructorTest {

    private final TestDatabase db;

    PostgresExtensionConstructorTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void getsAnotherDatabaseThroughItsConstructor() throws SQLException {
        assertThat(SeenDatabases.firstTimeSeen(db.name())).as("no other class had database %s", db.name()).isTrue();
        try (Connection connection = db.connection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("tables of other classes are not here").isZero();
        }
    }

    @Nested
    class Inner {
        @Test
        void sharesTheEnclosingDatabase(TestDatabase inner) {
            assertThat(inner.name()).as("a nested class uses its enclosing class's database").isEqualTo(db.name());
        }
    }
}
