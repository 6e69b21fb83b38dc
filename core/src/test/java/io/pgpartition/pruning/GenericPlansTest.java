package io.pgpartition.pruning;

import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code plan_cache_mode = force_generic_plan} told with where it was set, and a fix that runs as printed. */
@PostgresTest
class GenericPlansTest {

    private static final String PROBLEM = "plan_cache_mode is force_generic_plan, %s, on a database with partitioned tables: "
            + "every prepared statement is planned for all partitions and pruned only when it runs, many times slower than the "
            + "custom plans PostgreSQL chooses by default; found force_generic_plan, expected auto. Fix: %s";

    private static String database(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection()) {
            return connection.getCatalog();
        }
    }

    @Test
    void eachSourceHasItsFixAndTheDatabasesAndRolesFixesRunAsPrinted(TestDatabase db) throws SQLException {
        String name = database(db);
        try (Connection connection = db.connection(); Statement statement = connection.createStatement()) {
            assertThat(GenericPlans.forced(connection)).as("auto: nothing to say").isEmpty();
            statement.execute("SET plan_cache_mode = force_generic_plan");
            assertThat(GenericPlans.forced(connection)).as("no partitioned table: nothing to say").isEmpty();
            statement.execute("CREATE TABLE gp_t (k int) PARTITION BY LIST (k)");
            assertThat(GenericPlans.forced(connection)).contains(PROBLEM.formatted("set in the session (a SET when the connection opens, "
                    + "such as a pool's initialisation SQL)", "remove the SET plan_cache_mode from the connection's initialisation"));
            statement.execute("CREATE ROLE \"gp role\" LOGIN PASSWORD 'gp'");
            statement.execute("ALTER DATABASE \"" + name + "\" SET plan_cache_mode = force_generic_plan");
        }
        String fixDatabase = "ALTER DATABASE \"" + name + "\" RESET plan_cache_mode;";
        try (Connection connection = db.connection()) {
            assertThat(GenericPlans.forced(connection)).contains(PROBLEM.formatted("set for database " + name, fixDatabase));
            connection.createStatement().execute(fixDatabase);
        }
        try (Connection connection = db.connection(); Statement statement = connection.createStatement()) {
            assertThat(GenericPlans.forced(connection)).as("the printed fix undid it").isEmpty();
            statement.execute("ALTER ROLE \"gp role\" SET plan_cache_mode = force_generic_plan");
            statement.execute("GRANT CONNECT ON DATABASE \"" + name + "\" TO \"gp role\"");
        }
        java.util.Properties login = new java.util.Properties();
        login.setProperty("user", "gp role");
        login.setProperty("password", "gp");
        String url = db.jdbcUrl().replaceAll("[?&]user=[^&]*|[?&]password=[^&]*", "");
        try (Connection connection = DriverManager.getConnection(url, login)) {
            assertThat(GenericPlans.forced(connection)).contains(PROBLEM.formatted("set for role gp role",
                    "ALTER ROLE \"gp role\" RESET plan_cache_mode;"));
        }
        try (Connection connection = db.connection(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER ROLE \"gp role\" RESET plan_cache_mode");
            statement.execute("ALTER ROLE \"gp role\" IN DATABASE \"" + name + "\" SET plan_cache_mode = force_generic_plan");
        }
        try (Connection connection = DriverManager.getConnection(url, login)) {
            assertThat(GenericPlans.forced(connection)).contains(PROBLEM.formatted("set for role gp role in database " + name,
                    "ALTER ROLE \"gp role\" IN DATABASE \"" + name + "\" RESET plan_cache_mode;"));
        }
        try (Connection connection = db.connection(); Statement statement = connection.createStatement()) {
            statement.execute("ALTER ROLE \"gp role\" IN DATABASE \"" + name + "\" RESET plan_cache_mode");
            statement.execute("REVOKE CONNECT ON DATABASE \"" + name + "\" FROM \"gp role\"");
            statement.execute("DROP ROLE \"gp role\"");
        }
        login.setProperty("user", db.user() == null ? "postgres" : db.user());
        login.setProperty("options", "-c plan_cache_mode=force_generic_plan");
        if (db.password() != null) {
            login.setProperty("password", db.password());
        } else {
            login.remove("password");
        }
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), login)) {
            assertThat(GenericPlans.forced(connection)).contains(PROBLEM.formatted("set by the connection (options=-c "
                    + "plan_cache_mode=... in the JDBC URL, or PGOPTIONS)", "remove plan_cache_mode from the connection's options"));
        }
    }

    @Test
    void theServersConfigurationNamesItsFileAndLine() {
        assertThat(GenericPlans.message("configuration file", "/etc/postgresql/postgresql.conf", 812, "app", "shop"))
                .isEqualTo(PROBLEM.formatted("set in the server's configuration (/etc/postgresql/postgresql.conf, line 812)",
                        "remove the line, or run ALTER SYSTEM RESET plan_cache_mode; where ALTER SYSTEM set it, then SELECT pg_reload_conf();"));
        assertThat(GenericPlans.message("configuration file", null, 0, "app", "shop"))
                .as("a role that may not see the file").startsWith("plan_cache_mode is force_generic_plan, set in the server's configuration, on");
    }
}
