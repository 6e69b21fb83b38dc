package io.pgpartition.test.postgres;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresServerTest {

    @Test
    void replacesTheDatabaseInAJdbcUrl() {
        assertThat(PostgresServer.withDatabase("jdbc:postgresql://localhost:5432/postgres?user=u&password=p", "pgp_x"))
                .as("path replaced, parameters kept").isEqualTo("jdbc:postgresql://localhost:5432/pgp_x?user=u&password=p");
        assertThat(PostgresServer.withDatabase("jdbc:postgresql://db.internal/app", "pgp_x"))
                .as("no port, no parameters").isEqualTo("jdbc:postgresql://db.internal/pgp_x");
        assertThat(PostgresServer.withDatabase("jdbc:postgresql://localhost:5432?sslmode=disable", "pgp_x"))
                .as("no database in the URL").isEqualTo("jdbc:postgresql://localhost:5432/pgp_x?sslmode=disable");
        assertThat(PostgresServer.withDatabase("jdbc:postgresql://h1:5432,h2:5433/app?targetServerType=primary", "pgp_x"))
                .as("several hosts").isEqualTo("jdbc:postgresql://h1:5432,h2:5433/pgp_x?targetServerType=primary");
    }

    @Test
    void noDockerEngineMeansTheEmbeddedServerNotASkip() {
        PostgresServer server = PostgresServer.shared();
        if (System.getenv("PGPARTITION_TEST_JDBC_URL") == null && !PostgresServer.dockerAnswers()) {
            assertThat(server.source()).as("without Docker and without a URL, the embedded server runs the tests")
                    .isEqualTo(ServerSource.EMBEDDED);
        }
        assertThat(server.version()).as("the server answers with its version").matches("PostgreSQL 1[4-8]\\..*");
    }

    @Test
    void createdDatabasesAreEmptyAndDropped() throws SQLException {
        PostgresServer server = PostgresServer.shared();
        String name;
        try (TestDatabase database = server.createDatabase("Some Test$Class")) {
            name = database.name();
            assertThat(name).as("the prefix is cleaned to letters, digits and underscores").startsWith("pgp_some_test_class_");
            try (Connection connection = database.connection(); Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT current_database(), (SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public')")) {
                rs.next();
                assertThat(rs.getString(1)).as("connected to the new database").isEqualTo(name);
                assertThat(rs.getInt(2)).as("it starts empty").isZero();
            }
        }
        try (TestDatabase other = server.createDatabase("probe");
             Connection connection = other.connection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_catalog.pg_database WHERE datname = '" + name + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("closing drops the database").isZero();
        }
    }
}
